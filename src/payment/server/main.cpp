// opp-payment: the payment backend (SPEC §1, §7, §8).
//   opp-payment [--config FILE]     serve PaymentSvc over Thrift
//   opp-payment --help | --version
// Exit codes: 0 after a clean stop (SIGTERM/SIGINT), 1 on a runtime failure at start,
// 2 on a bad command line or configuration.

#include <signal.h>

#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <thrift/TOutput.h>  // after <string>: it uses std::string without including it

#include "payment/infrastructure/sandbox/sandbox_channel.hpp"
#include "payment/infrastructure/sql/database.hpp"
#include "payment/infrastructure/sql/migrations.hpp"
#include "payment/infrastructure/sql/soci_notification_outbox.hpp"
#include "payment/infrastructure/sql/soci_payment_store.hpp"
#include "payment/infrastructure/system/system_clock.hpp"
#include "payment/server/config.hpp"
#include "payment/server/thrift_server.hpp"
#include "payment/transport/payment_handler.hpp"

#include "opp/common/daemon_command_line.hpp"
#include "opp/crypto/platform_key.hpp"
#include "opp/etcd/registration.hpp"
#include "payment/infrastructure/notify/notification_dispatcher.hpp"
#include "payment/infrastructure/notify/tls_client_context.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: opp-payment [--config FILE]\n"
    "       opp-payment --help | --version\n"
    "\n"
    "Serves the PaymentSvc Thrift service (idl/payment.thrift).\n"
    "\n"
    "Options:\n"
    "  --config FILE  YAML configuration (keys: listen, database, workers, transport,\n"
    "                 protocol, platform_private_key, etcd, notify_ca_file,\n"
    "                 notify_dns_servers, notify_concurrency, notify_host_concurrency);\n"
    "                 relative paths are taken from the file's directory. Without it,\n"
    "                 defaults apply relative to the current directory.\n"
    "  --help         print this help and exit\n"
    "  --version      print the version and exit\n"
    "\n"
    "Prints \"listening on HOST:PORT\" once it accepts calls; stops cleanly on SIGTERM/SIGINT.\n";

/// Thrift's own diagnostics, in this program's log format.
void log_thrift(const char* message) {
  std::cerr << "opp-payment: thrift: " << message << "\n";
}

/// Blocks SIGINT/SIGTERM in every thread (started after this call) so one thread can
/// wait for them with sigwait.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a caller hanging up must not kill the server
  return signals;
}

/// How notifications are delivered, from the configuration; `tls` holds notify_ca_file.
opp::payment::NotificationDispatcherOptions dispatcher_options(
    const opp::payment::PaymentConfig& config, opp::payment::TlsClientContext tls) {
  opp::payment::NotificationDispatcherOptions options;
  options.concurrency = static_cast<size_t>(config.notify_concurrency);
  options.per_host_concurrency = static_cast<size_t>(config.notify_host_concurrency);
  options.http.tls = std::move(tls);
  options.http.dns.servers = config.notify_dns_servers;
  options.log = [](std::string_view line) { std::cerr << "opp-payment: " << line << "\n"; };
  return options;
}

int run(const opp::payment::PaymentConfig& config, opp::payment::TlsClientContext notify_tls) {
  using namespace opp::payment;
  const sigset_t stop_signals = block_stop_signals();
  apache::thrift::GlobalOutput.setOutputFunction(log_thrift);

  // Sessions for the handler threads, plus the notification dispatcher's poller and
  // delivery threads (notify_concurrency), plus a spare.
  Database database(config.database_target,
                    static_cast<size_t>(config.workers + config.notify_concurrency) + 2);
  apply_migrations(database);
  SociPaymentStore store(database);
  SociNotificationOutbox outbox(database);
  SystemClock clock;
  RandomIdGenerator ids;
  PaymentService service(store, make_sandbox_channels(), clock, ids);
  auto handler = std::make_shared<transport::PaymentHandler>(service);
  PaymentThriftServer server(config, handler);

  auto platform_key = opp::crypto::load_or_create_platform_key(config.platform_private_key);
  if (!platform_key) {
    throw std::runtime_error("platform_private_key " + config.platform_private_key.string() + ": " +
                             platform_key.error().message);
  }
  NotificationDispatcher dispatcher(outbox, std::move(platform_key).value(), clock,
                                    dispatcher_options(config, std::move(notify_tls)));
  dispatcher.start();

  // Registered once the port is bound; deregistered (lease revoked) before the server
  // stops taking calls, so gateways drop this address first.
  std::mutex registration_mutex;
  std::unique_ptr<opp::etcd::Registration> registration;
  auto deregister = [&] {
    std::unique_ptr<opp::etcd::Registration> ending;
    {
      std::lock_guard lock(registration_mutex);
      ending = std::move(registration);
    }
    if (ending) ending->stop();
  };
  auto register_in_etcd = [&](int port) {
    if (!config.etcd) return;
    const PaymentEtcdConfig& etcd = *config.etcd;
    const std::string address =
        etcd.advertise.empty() ? config.listen_host + ":" + std::to_string(port) : etcd.advertise;
    opp::etcd::RegistrationOptions options;
    options.endpoints = etcd.endpoints;
    options.key = opp::etcd::service_key(etcd.register_as, address);
    options.value = address;
    options.ttl_s = etcd.lease_ttl_s;
    options.log = [](const std::string& line) {
      std::cerr << "opp-payment: etcd: " << line << "\n";
    };
    std::lock_guard lock(registration_mutex);
    registration = std::make_unique<opp::etcd::Registration>(std::move(options));
    registration->start();
  };

  std::atomic<bool> serving_ended{false};
  std::thread signal_waiter([&] {
    int received = 0;
    sigwait(&stop_signals, &received);
    if (serving_ended) return;  // woken below because serve() ended on its own
    std::cerr << "opp-payment: signal " << received << ", stopping\n";
    deregister();
    server.stop();
  });

  std::exception_ptr failure;
  try {
    server.serve([&](int port) {
      std::cout << "listening on " << config.listen_host << ":" << port << std::endl;
      register_in_etcd(port);
    });
  } catch (const std::exception& e) {
    // Binding is what fails here (port taken, host unknown): name the setting.
    failure = std::make_exception_ptr(std::runtime_error("listen " + config.listen_host + ":" +
                                                         std::to_string(config.listen_port) + ": " +
                                                         e.what()));
  } catch (...) {
    failure = std::current_exception();
  }
  serving_ended = true;
  pthread_kill(signal_waiter.native_handle(), SIGTERM);
  signal_waiter.join();
  deregister();
  dispatcher.stop();
  if (failure) std::rethrow_exception(failure);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto line = opp::parse_daemon_command_line("opp-payment", argc, argv);
  if (!line) return 2;
  if (line->help) {
    std::cout << kUsage;
    return 0;
  }
  if (line->version) {
    std::cout << "opp-payment " << OPP_VERSION << "\n";
    return 0;
  }

  opp::payment::PaymentConfig config;
  try {
    config = line->config ? opp::payment::load_config(*line->config)
                          : opp::payment::default_config(std::filesystem::current_path());
  } catch (const opp::payment::ConfigError& e) {
    std::cerr << "opp-payment: config error: " << opp::one_line(e.what()) << "\n";
    return 2;
  }
  // The CAs are read once, at start: a file that cannot be used is a configuration error.
  auto notify_tls = opp::payment::make_tls_client_context(config.notify_ca_file);
  if (!notify_tls) {
    std::cerr << "opp-payment: config error: notify_ca_file: "
              << opp::one_line(notify_tls.error().message) << "\n";
    return 2;
  }
  try {
    return run(config, std::move(notify_tls).value());
  } catch (const std::exception& e) {
    std::cerr << "opp-payment: " << opp::one_line(e.what()) << "\n";
    return 1;
  }
}
