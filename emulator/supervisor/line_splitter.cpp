#include "supervisor/line_splitter.h"

namespace lambda_emu::supervisor {

void LineSplitter::feed(std::string_view data, const LineFn& emit) {
    while (!data.empty()) {
        auto nl = data.find('\n');
        std::string_view piece = nl == std::string_view::npos ? data : data.substr(0, nl);
        std::size_t room = m_max_line - m_partial.size();
        if (piece.size() >= room) {
            m_partial.append(piece.substr(0, room));
            emit(m_partial);
            m_partial.clear();
            data.remove_prefix(room);
            if (nl == room) data.remove_prefix(1);  // the cut fell exactly on the newline
            continue;
        }
        if (nl == std::string_view::npos) {
            m_partial.append(piece);
            return;
        }
        if (m_partial.empty()) {
            emit(piece);
        } else {
            m_partial.append(piece);
            emit(m_partial);
            m_partial.clear();
        }
        data.remove_prefix(nl + 1);
    }
}

void LineSplitter::finish(const LineFn& emit) {
    if (m_partial.empty()) return;
    emit(m_partial);
    m_partial.clear();
}

}  // namespace lambda_emu::supervisor
