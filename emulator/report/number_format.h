// Decimal text of numbers for the report writers: the same digits whatever the process's locale.
#pragma once

#include <string>

namespace lambda_emu::report {

// What a reader is shown for a figure that is not a finite number: an em dash.
inline constexpr const char* k_no_figure = "\xE2\x80\x94";

// v rounded to `decimals` (>= 0) decimals, as printf's "%.*f" prints it in the C locale:
// "12.35", "-0.00", "nan", "inf". For fixed-width tables and CSV.
std::string format_fixed(double v, int decimals);

// format_fixed() for a reader: "0.00" rather than "-0.00", and k_no_figure for NaN or infinity.
std::string format_figure(double v, int decimals);

// format_figure() with at most max_decimals decimals, trailing zeros dropped: "5", "0.5",
// "12.25".
std::string format_trimmed(double v, int max_decimals);

}  // namespace lambda_emu::report
