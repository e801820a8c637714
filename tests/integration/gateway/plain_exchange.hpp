#pragma once
// One request sent as plain bytes on an open TCP socket and one response read back, with
// a 5 s receive bound: how the tests speak unencrypted HTTP to a TLS port.

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>

namespace opp::test {

/// Writes `request` to `socket` and reads one response; `ec` says why none could be read.
/// The socket stays open so the caller can see what follows (e.g. the close).
inline boost::beast::http::response<boost::beast::http::string_body> plain_exchange(
    boost::asio::ip::tcp::socket& socket, const std::string& request,
    boost::beast::error_code& ec) {
  boost::asio::write(socket, boost::asio::buffer(request));
  timeval tv{5, 0};
  setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  boost::beast::flat_buffer buffer;
  boost::beast::http::response<boost::beast::http::string_body> response;
  boost::beast::http::read(socket, buffer, response, ec);
  return response;
}

}  // namespace opp::test
