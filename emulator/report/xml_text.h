// Text as XML 1.0 (and the XHTML of the bench page) can carry it. Labels, paths and logs come
// from the command line, the file system and child processes, which promise neither valid UTF-8
// nor the absence of control characters; the writers pass every such string through here.
#pragma once

#include <string>
#include <string_view>

namespace lambda_emu::report {

// The text with each byte that does not start a valid UTF-8 sequence (stray, truncated or
// overlong) and each character XML 1.0 forbids (C0 controls but tab, LF and CR; surrogates;
// U+FFFE, U+FFFF) replaced by U+FFFD. Valid text comes back unchanged.
std::string xml_safe(std::string_view text);

// Element text or a quoted attribute value: xml_safe(), then & < > " ' as &amp; &lt; &gt;
// &quot; &#39;.
std::string xml_escape(std::string_view text);

// A double-quoted attribute value whose newlines survive attribute-value normalisation:
// xml_safe(), then & < > " as &amp; &lt; &gt; &quot; and LF as &#10;. ' is left as it is, and so
// are tab and CR.
std::string xml_attribute(std::string_view text);

}  // namespace lambda_emu::report
