#include "report/xml_text.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace lambda_emu::report {

namespace {

constexpr const char* k_fffd = "\xEF\xBF\xBD";  // U+FFFD, the replacement character

std::string fffd(int n) {
    std::string out;
    for (int i = 0; i < n; ++i) out += k_fffd;
    return out;
}

}  // namespace

TEST(XmlText, ValidTextIsUnchanged) {
    // ASCII, tab, LF, CR, DEL, two-, three- and four-byte characters, U+10FFFF.
    const std::string text =
        "plain \t\n\r\x7F \xC3\xA9 \xE2\x89\xA4 \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF";
    EXPECT_EQ(xml_safe(text), text);
    EXPECT_EQ(xml_escape(text), text);
    EXPECT_EQ(xml_safe(""), "");
}

TEST(XmlText, EscapesMarkupForTextAndAttributes) {
    EXPECT_EQ(xml_escape("a<b&\"c\"'d>\ne"), "a&lt;b&amp;&quot;c&quot;&#39;d&gt;\ne");
    EXPECT_EQ(xml_escape("&amp;"), "&amp;amp;");
}

TEST(XmlText, AttributeKeepsItsNewlinesAndApostrophes) {
    EXPECT_EQ(xml_attribute("it's <ok> & \"fine\"\nnext\ttab\r"),
              "it's &lt;ok&gt; &amp; &quot;fine&quot;&#10;next\ttab\r");
}

TEST(XmlText, ReplacesCharactersXmlForbids) {
    EXPECT_EQ(xml_safe(std::string_view("a\0b", 3)), "a" + fffd(1) + "b");
    EXPECT_EQ(xml_safe("\x01\x08\x0B\x0C\x1B[0m\x1F"), fffd(5) + "[0m" + fffd(1));
    EXPECT_EQ(xml_safe("\xED\xA0\x80"), fffd(1));              // a surrogate, U+D800
    EXPECT_EQ(xml_safe("\xEF\xBF\xBE\xEF\xBF\xBF"), fffd(2));  // U+FFFE, U+FFFF
    EXPECT_EQ(xml_safe("\xF4\x90\x80\x80"), fffd(1));          // U+110000, past Unicode
    // Escaping applies to what is left.
    EXPECT_EQ(xml_escape("<\x01>"), "&lt;" + fffd(1) + "&gt;");
    EXPECT_EQ(xml_attribute("\x02\n"), fffd(1) + "&#10;");
}

TEST(XmlText, ReplacesInvalidUtf8ByteByByte) {
    EXPECT_EQ(xml_safe("\x80"), fffd(1));  // a stray continuation byte
    EXPECT_EQ(xml_safe("a\xFF"
                       "b"),
              "a" + fffd(1) + "b");                   // never in UTF-8
    EXPECT_EQ(xml_safe("\xC3("), fffd(1) + "(");      // a lead byte without its continuation
    EXPECT_EQ(xml_safe("x\xC3"), "x" + fffd(1));      // cut at the end
    EXPECT_EQ(xml_safe("\xE2\x82x"), fffd(2) + "x");  // three bytes cut after two
    EXPECT_EQ(xml_safe("\xC0\x80"), fffd(2));         // an overlong NUL
    EXPECT_EQ(xml_safe("\xE0\x80\xAF"), fffd(3));     // an overlong '/'
    EXPECT_EQ(xml_safe("\xC3\xA9\xFE\xC3\xA9"), "\xC3\xA9" + fffd(1) + "\xC3\xA9");
}

}  // namespace lambda_emu::report
