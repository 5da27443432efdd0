// The forms a FunctionName path parameter takes: "name", "name:qualifier",
// "arn:aws:lambda:region:account:function:name[:qualifier]", "account:function:name[:qualifier]".
#pragma once

#include <optional>
#include <string>

namespace lambda_emu::frontend {

struct FunctionRef {
    std::string name;
    std::string qualifier;  // empty when none
};

// Nothing when the text is none of the forms.
std::optional<FunctionRef> parse_function_ref(const std::string& text);

}  // namespace lambda_emu::frontend
