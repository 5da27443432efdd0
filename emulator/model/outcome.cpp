#include "model/outcome.h"

namespace lambda_emu::model {

const char* status_name(OutcomeKind kind) {
    switch (kind) {
        case OutcomeKind::success:
            return "success";
        case OutcomeKind::timeout:
            return "timeout";
        case OutcomeKind::function_error:
        case OutcomeKind::runtime_exit:
        case OutcomeKind::out_of_memory:
        case OutcomeKind::init_error:
        case OutcomeKind::response_too_large:
        case OutcomeKind::extension_error:
            return "error";
    }
    return "failure";
}

}  // namespace lambda_emu::model
