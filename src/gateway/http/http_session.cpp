#include "gateway/http/basic_http_session_impl.hpp"

namespace opp::gateway::http {

void Responder::operator()(OutgoingResponse response) {
  if (session_) session_->deliver(sequence_, std::move(response));
  session_.reset();
}

namespace detail {

// One buffer, one write: cheaper than Beast's serializer, which walks a buffer sequence
// of every header field.
std::string serialize(const OutgoingResponse& response, const ResponseSlot& slot) {
  const auto status = static_cast<bhttp::status>(response.status);
  const beast::string_view reason = bhttp::obsolete_reason(status);
  std::string out;
  size_t headers = 0;
  for (const auto& [name, value] : response.headers) headers += name.size() + value.size() + 4;
  out.reserve(160 + slot.request_id.size() + response.content_type.size() + headers +
              response.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(response.status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: opp-gateway";
  // 204 and 304 carry no content, and RFC 9110 forbids Content-Length on a 204.
  const bool no_content = response.status == 204 || response.status == 304;
  if (!no_content) {
    out += "\r\nContent-Type: ";
    out += response.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(response.body.size());
  }
  out += "\r\nX-Request-Id: ";
  out += slot.request_id;
  for (const auto& [name, value] : response.headers) {
    out += "\r\n";
    out += name;
    out += ": ";
    out += value;
  }
  if (slot.close)
    out += "\r\nConnection: close";
  else if (slot.http10)
    out += "\r\nConnection: keep-alive";
  out += "\r\n\r\n";
  if (!slot.head && !no_content) out += response.body;
  return out;
}

}  // namespace detail

template <class Stream>
BasicHttpSession<Stream>::BasicHttpSession(Socket socket, SessionHost& host) requires(!kTls)
    : stream_(std::move(socket)), host_(host) {
  opened();
}

template class BasicHttpSession<TcpStream>;

}  // namespace opp::gateway::http
