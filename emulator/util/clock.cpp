#include "util/clock.h"

namespace lambda_emu::util {

const Clock& system_clock() {
    static const SystemClock k_clock;
    return k_clock;
}

}  // namespace lambda_emu::util
