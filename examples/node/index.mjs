// lambda-emu example: an ES module handler for AWS's Node.js runtime interface client
// (aws-lambda-ric). Run through ./bootstrap; see README.md.

// A module that throws while it loads is an init error: the RIC reports it on
// POST /runtime/init/error and exits.
if (process.env.EXAMPLE_INIT_FAIL === "error") {
  throw new Error("deliberate init failure");
}

export const handler = async (event, context) => {
  console.log("handling event");
  if (event !== null && typeof event === "object" && event.action === "error") {
    throw new Error("deliberate failure");
  }
  return { message: "hello from node", requestId: context.awsRequestId, input: event };
};
