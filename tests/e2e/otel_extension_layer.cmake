# Run at build time by node_ric.cmake (cmake -P): unpacks extension.zip, the Lambda layer of the
# npm package @serverless/aws-lambda-otel-extension-dist, into LAYER_DIR, as Lambda unpacks a
# layer into /opt, then relocates it from /opt to LAYER_DIR.
#
#   cmake -DPYTHON=python3 -DZIP=.../extension.zip -DLAYER_DIR=.../otel-layer -P otel_extension_layer.cmake
#
# The layer holds extensions/otel-extension, a bash launcher whose last line is
#   exec "/opt/${LAMBDA_EXTENSION_NAME}/index.js"
# and otel-extension/index.js (#!/usr/bin/env node) with its node_modules. The launcher is kept
# as shipped except for that one path: "/opt/" becomes LAYER_DIR, so lambda-emu runs it (with
# --extension LAYER_DIR/extensions/otel-extension) under its own file name, which the extension
# registers as (Lambda-Extension-Name: otel-extension). Python's zipfile does not restore file
# modes, so the launcher and index.js are made executable again (they are 0755 in the zip).
foreach(_var PYTHON ZIP LAYER_DIR)
  if(NOT DEFINED ${_var})
    message(FATAL_ERROR "otel_extension_layer.cmake: -D${_var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${LAYER_DIR})
execute_process(COMMAND ${PYTHON} -m zipfile -e ${ZIP} ${LAYER_DIR} COMMAND_ERROR_IS_FATAL ANY)

set(_launcher ${LAYER_DIR}/extensions/otel-extension)
set(_index ${LAYER_DIR}/otel-extension/index.js)
foreach(_f ${_launcher} ${_index})
  if(NOT EXISTS ${_f})
    message(FATAL_ERROR "${ZIP} has no ${_f}: not the layer this build expects")
  endif()
endforeach()

file(READ ${_launcher} _script)
set(_shipped [[exec "/opt/${LAMBDA_EXTENSION_NAME}/index.js"]])
string(FIND "${_script}" "${_shipped}" _at)
if(_at EQUAL -1)
  message(FATAL_ERROR "${_launcher} does not end with the line this build relocates:\n"
                      "  ${_shipped}\nits content:\n${_script}")
endif()
string(REPLACE "\"/opt/" "\"${LAYER_DIR}/" _script "${_script}")
file(WRITE ${_launcher} "${_script}")

file(CHMOD ${_launcher} ${_index}
     FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                      WORLD_READ WORLD_EXECUTE)
