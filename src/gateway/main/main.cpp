// opp-gateway: the merchant-facing HTTP gateway (SPEC §1, §3, §4, §7).
//   opp-gateway [--config FILE]     serve the merchant API
//   opp-gateway --help | --version
// Exit codes: 0 after a clean stop (SIGTERM/SIGINT: requests in flight finish first),
// 1 when a component cannot start, 2 on a bad command line or configuration.

#include <malloc.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "gateway/config/config_loader.hpp"
#include "gateway/server/gateway_app.hpp"
#include "opp/common/daemon_command_line.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: opp-gateway [--config FILE]\n"
    "       opp-gateway --help | --version\n"
    "\n"
    "Serves the merchant API POST /gateway/{svc} (signed requests, transcoded to Thrift\n"
    "calls of the services found in idl_dir), /healthz, /metrics and\n"
    "/gateway/platform-key.\n"
    "\n"
    "Options:\n"
    "  --config FILE  YAML configuration (SPEC section 7: listen, tls, threads, idl_dir,\n"
    "                 database, auth, limits, http, upstreams, access_log); relative paths\n"
    "                 are taken from the file's directory. Without it, defaults apply\n"
    "                 relative to the current directory.\n"
    "  --help         print this help and exit\n"
    "  --version      print the version and exit\n"
    "\n"
    "Prints \"listening on HOST:PORT\" (plain HTTP) and \"listening for TLS on HOST:PORT\"\n"
    "(the tls listener) once it accepts requests; SIGTERM or SIGINT stops accepting, lets\n"
    "requests in flight finish and exits 0. SIGHUP re-reads upstreams, plugins and the TLS\n"
    "certificate and key.\n";

/// Blocks the stop signals in every thread started after this call, so the main thread
/// can wait for them with sigwait.
sigset_t block_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a client hanging up must not kill the gateway
  return signals;
}

/// Start-up failures that are the configuration's fault, exit 2 like a bad key: a plugin
/// that cannot load or refuses its config, a TLS certificate or key that cannot be used.
bool is_config_error(const std::string& sub_code) {
  return sub_code == "plugin-load" || sub_code == "plugin-config" || sub_code == "tls-config";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace opp::gateway;
  // Large blocks (the nonce tables, rebuilt as they grow) always come from mmap and go
  // back to the system when freed: glibc would otherwise raise this threshold after the
  // first free and keep every old table in the heap.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  std::optional<opp::DaemonCommandLine> line =
      opp::parse_daemon_command_line("opp-gateway", argc, argv);
  if (!line) return 2;
  if (line->help) {
    std::cout << kUsage;
    return 0;
  }
  if (line->version) {
    std::cout << "opp-gateway " << OPP_VERSION << "\n";
    return 0;
  }
  auto config = line->config ? config::load_gateway_config(*line->config)
                             : config::parse_gateway_config("", std::filesystem::current_path());
  if (!config) {
    std::cerr << "opp-gateway: " << opp::one_line(config.error().message) << "\n";
    return 2;
  }
  const sigset_t signals = block_signals();
  const auto grace = std::chrono::milliseconds(config->http.shutdown_grace_ms);
  auto app = server::GatewayApp::create(std::move(*config));
  if (!app) {
    std::cerr << "opp-gateway: " << opp::one_line(app.error().message) << "\n";
    return is_config_error(app.error().sub_code) ? 2 : 1;
  }
  auto bound = (*app)->start();
  if (!bound) {
    std::cerr << "opp-gateway: " << opp::one_line(bound.error().message) << "\n";
    return 1;
  }
  // The TLS line first: whoever waits for "listening on" finds both.
  if (bound->tls) std::cout << "listening for TLS on " << bound->tls->to_string() << std::endl;
  if (bound->plain) std::cout << "listening on " << bound->plain->to_string() << std::endl;
  for (;;) {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    if (signal_number == SIGHUP) {
      (*app)->reload();
      continue;
    }
    break;
  }
  std::cerr << "opp-gateway: stopping (requests in flight finish)\n";
  (*app)->stop(grace);
  (*app)->wait();
  std::cerr << "opp-gateway: stopped\n";
  return 0;
}
