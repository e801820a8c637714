// The descriptor registry of SPEC §2, on a temporary idl_dir.
#include <catch2/catch.hpp>

#include "idl_test_util.hpp"
#include "opp/idl/registry.hpp"

using namespace opp::idl;
using opp::idl::test::TempDir;

namespace {

const char* const kCommon = "struct Money { 1: i64 amount }\nexception BizError { 1: i32 code }\n";
const char* const kPayment =
    "include \"common.thrift\"\n"
    "service Base { void Ping() }\n"
    "service Internal { void Hidden() }\n"
    "service PaymentSvc extends Base {\n"
    "  common.Money UnifyPay(1: common.Money req) throws (1: common.BizError e)"
    " (api.post = '/payment/unifypay')\n"
    "  void unifypay() \n"
    "  void QueryOrder() (api.post = '/payment/queryorder')\n"
    "}\n";

}  // namespace

TEST_CASE("registry: one service per file with a service, named by the stem", "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("notes.txt", "not idl");
  auto snap = build_registry(dir.path());
  CHECK(snap->generation == 1);
  REQUIRE(snap->services.size() == 1);  // common.thrift is include-only
  const GatewayService* svc = snap->find_service("payment");
  REQUIRE(svc);
  CHECK(snap->find_service("common") == nullptr);
  CHECK(svc->name == "payment");
  CHECK(svc->service->name == "PaymentSvc");  // the last service of the file
  REQUIRE(svc->functions.size() == 4);
  CHECK(svc->functions[0]->name == "Ping");  // inherited first
  CHECK(snap->files.size() == 2);
  CHECK(snap->files.at("payment.thrift").sha256.size() == 64);
  CHECK_FALSE(snap->files.at("payment.thrift").last_error);
}

TEST_CASE("registry: find_method prefers the route segment over a function name",
          "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  auto snap = build_registry(dir.path());
  const GatewayService* svc = snap->find_service("payment");
  REQUIRE(svc);
  CHECK(svc->find_method("unifypay")->name == "UnifyPay");  // route wins over `unifypay()`
  CHECK(svc->find_method("UnifyPay")->name == "UnifyPay");
  CHECK(svc->find_method("queryorder")->name == "QueryOrder");
  CHECK(svc->find_method("Ping")->name == "Ping");
  CHECK(svc->find_method("Hidden") == nullptr);    // not in the gateway service
  CHECK(svc->find_method("UNIFYPAY") == nullptr);  // case-sensitive
}

TEST_CASE("registry: a broken file keeps its previous service and records the error",
          "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("other.thrift", "service Other { void Hello() }\n");
  auto first = build_registry(dir.path());
  const auto previous_payment = first->services.at("payment");

  dir.write("payment.thrift", "service PaymentSvc {\n  void Broken(\n");
  dir.write("other.thrift", "service Other { void Hello(), void Bye() }\n");
  auto second = build_registry(dir.path(), first.get());
  CHECK(second->generation == 2);
  CHECK(second->services.at("payment") == previous_payment);
  const FileStatus& status = second->files.at("payment.thrift");
  REQUIRE(status.last_error);
  CHECK(status.last_error->where.line == 3);
  CHECK(status.last_error->message == "expected a field or ')' but found end of file");
  CHECK(status.sha256 != first->files.at("payment.thrift").sha256);
  // Every other service updates.
  CHECK(second->find_service("other")->functions.size() == 2);

  // A new file that fails stays absent.
  dir.write("fresh.thrift", "service Fresh { void f( }\n");
  auto third = build_registry(dir.path(), second.get());
  CHECK(third->find_service("fresh") == nullptr);
  CHECK(third->files.at("fresh.thrift").last_error);
  CHECK(third->find_service("payment") == previous_payment.get());
}

TEST_CASE("registry: a broken include fails every service that includes it", "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  auto first = build_registry(dir.path());
  dir.write("common.thrift",
            "struct Money { 1: i64 amount, 1: i64 dup }\nexception BizError { 1: i32 code }\n");
  auto second = build_registry(dir.path(), first.get());
  CHECK(second->services.at("payment") == first->services.at("payment"));
  REQUIRE(second->files.at("payment.thrift").last_error);
  CHECK(second->files.at("payment.thrift").last_error->message ==
        "field id 1 of 'dup' is already used by 'amount' in struct 'Money'");
}

TEST_CASE("registry: a file that loses its service is an error, not a removal", "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("svc.thrift", "service S { void f() }\n");
  auto first = build_registry(dir.path());
  dir.write("svc.thrift", "");
  auto second = build_registry(dir.path(), first.get());
  CHECK(second->services.at("svc") == first->services.at("svc"));
  REQUIRE(second->files.at("svc.thrift").last_error);
  CHECK(second->files.at("svc.thrift").last_error->message ==
        "no service defined any more (service 'svc' keeps its previous version)");
}

TEST_CASE("registry: deleting a file removes its service", "[idl][registry]") {
  TempDir dir("opp-idl-registry-");
  dir.write("a.thrift", "service A { void f() }\n");
  dir.write("b.thrift", "service B { void g() }\n");
  auto first = build_registry(dir.path());
  REQUIRE(first->services.size() == 2);
  dir.remove("a.thrift");
  auto second = build_registry(dir.path(), first.get());
  CHECK(second->find_service("a") == nullptr);
  CHECK(second->files.count("a.thrift") == 0);
  CHECK(second->find_service("b") != nullptr);
}

TEST_CASE("registry: publish and current swap snapshots atomically", "[idl][registry]") {
  Registry registry;
  CHECK(registry.current() == nullptr);
  auto a = std::make_shared<RegistrySnapshot>();
  a->generation = 7;
  registry.publish(a);
  auto held = registry.current();
  CHECK(held->generation == 7);
  auto b = std::make_shared<RegistrySnapshot>();
  b->generation = 8;
  registry.publish(b);
  CHECK(registry.current()->generation == 8);
  CHECK(held->generation == 7);  // a reader keeps the snapshot it started with
}
