// The service catalog of SPEC §2, on a temporary idl_dir.
#include <catch2/catch.hpp>

#include "idl_test_util.hpp"
#include "opp/catalog/catalog.hpp"

using namespace opp::catalog;
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

TEST_CASE("catalog: one service per file with a service, named by the stem", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("notes.txt", "not idl");
  auto snap = scan(dir.path());
  CHECK(snap->generation == 1);
  REQUIRE(snap->services.size() == 1);  // common.thrift is include-only
  const ServiceEntry* svc = snap->find_service("payment");
  REQUIRE(svc);
  CHECK(snap->find_service("common") == nullptr);
  CHECK(svc->name() == "payment");
  CHECK(svc->service().name == "PaymentSvc");  // the last service of the file
  REQUIRE(svc->functions().size() == 4);
  CHECK(svc->functions()[0]->name == "Ping");  // inherited first
  CHECK(snap->files.size() == 2);
  CHECK(snap->files.at("payment.thrift").sha256.size() == 64);
  CHECK_FALSE(snap->files.at("payment.thrift").last_error);
}

TEST_CASE("catalog: find_method prefers the route segment over a function name", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  auto snap = scan(dir.path());
  const ServiceEntry* svc = snap->find_service("payment");
  REQUIRE(svc);
  CHECK(svc->find_method("unifypay")->name == "UnifyPay");  // route wins over `unifypay()`
  CHECK(svc->find_method("UnifyPay")->name == "UnifyPay");
  CHECK(svc->find_method("queryorder")->name == "QueryOrder");
  CHECK(svc->find_method("Ping")->name == "Ping");
  CHECK(svc->find_method("Hidden") == nullptr);    // not in the gateway service
  CHECK(svc->find_method("UNIFYPAY") == nullptr);  // case-sensitive
}

TEST_CASE("catalog: a broken file keeps its previous service and records the error", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("other.thrift", "service Other { void Hello() }\n");
  auto first = scan(dir.path());
  const auto previous_payment = first->services.at("payment");

  dir.write("payment.thrift", "service PaymentSvc {\n  void Broken(\n");
  dir.write("other.thrift", "service Other { void Hello(), void Bye() }\n");
  auto second = scan(dir.path(), first.get());
  CHECK(second->generation == 2);
  CHECK(second->services.at("payment") == previous_payment);
  const FileStatus& status = second->files.at("payment.thrift");
  REQUIRE(status.last_error);
  CHECK(status.last_error->where.line == 3);
  CHECK(status.last_error->message == "expected a field or ')' but found end of file");
  CHECK(status.sha256 != first->files.at("payment.thrift").sha256);
  // Every other service updates.
  CHECK(second->find_service("other")->functions().size() == 2);

  // A new file that fails stays absent.
  dir.write("fresh.thrift", "service Fresh { void f( }\n");
  auto third = scan(dir.path(), second.get());
  CHECK(third->find_service("fresh") == nullptr);
  CHECK(third->files.at("fresh.thrift").last_error);
  CHECK(third->find_service("payment") == previous_payment.get());
}

TEST_CASE("catalog: a broken include fails every service that includes it", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  auto first = scan(dir.path());
  dir.write("common.thrift",
            "struct Money { 1: i64 amount, 1: i64 dup }\nexception BizError { 1: i32 code }\n");
  auto second = scan(dir.path(), first.get());
  CHECK(second->services.at("payment") == first->services.at("payment"));
  REQUIRE(second->files.at("payment.thrift").last_error);
  CHECK(second->files.at("payment.thrift").last_error->message ==
        "field id 1 of 'dup' is already used by 'amount' in struct 'Money'");
}

TEST_CASE("catalog: a file that loses its service is an error, not a removal", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("svc.thrift", "service S { void f() }\n");
  auto first = scan(dir.path());
  dir.write("svc.thrift", "");
  auto second = scan(dir.path(), first.get());
  CHECK(second->services.at("svc") == first->services.at("svc"));
  REQUIRE(second->files.at("svc.thrift").last_error);
  CHECK(second->files.at("svc.thrift").last_error->message ==
        "no service defined any more (service 'svc' keeps its previous version)");
}

TEST_CASE("catalog: deleting a file removes its service", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("a.thrift", "service A { void f() }\n");
  dir.write("b.thrift", "service B { void g() }\n");
  auto first = scan(dir.path());
  REQUIRE(first->services.size() == 2);
  dir.remove("a.thrift");
  auto second = scan(dir.path(), first.get());
  CHECK(second->find_service("a") == nullptr);
  CHECK(second->files.count("a.thrift") == 0);
  CHECK(second->find_service("b") != nullptr);
}

TEST_CASE("catalog: rescanning an unchanged directory returns the same service objects",
          "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("other.thrift", "service Other { void Hello() }\n");
  auto first = scan(dir.path());
  CHECK(first->files_loaded == 3);
  auto second = scan(dir.path(), first.get());
  CHECK(second->generation == 2);
  CHECK(second->files_loaded == 0);
  CHECK(second->files_reused == 3);
  REQUIRE(second->services.size() == 2);
  CHECK(second->services.at("payment") == first->services.at("payment"));
  CHECK(second->services.at("other") == first->services.at("other"));
  // The codec comes with the entry: the same compiled object.
  CHECK(&second->find_service("payment")->codec() == &first->find_service("payment")->codec());
  CHECK(second->files.at("payment.thrift").loaded_at ==
        first->files.at("payment.thrift").loaded_at);
}

TEST_CASE("catalog: changing an included file rebuilds exactly the services that include it",
          "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("common.thrift", kCommon);
  dir.write("payment.thrift", kPayment);
  dir.write("refund.thrift",
            "include \"common.thrift\"\nservice RefundSvc { common.Money Refund() }\n");
  dir.write("other.thrift", "service Other { void Hello() }\n");
  auto first = scan(dir.path());
  REQUIRE(first->services.size() == 3);
  CHECK(first->files.at("payment.thrift").includes ==
        std::vector<std::string>{dir.path() + "/common.thrift"});

  dir.write("common.thrift", std::string(kCommon) + "struct Extra { 1: string note }\n");
  auto second = scan(dir.path(), first.get());
  CHECK(second->files_loaded == 3);  // common, payment, refund
  CHECK(second->files_reused == 1);  // other
  CHECK(second->services.at("payment") != first->services.at("payment"));
  CHECK(second->services.at("refund") != first->services.at("refund"));
  CHECK(second->services.at("other") == first->services.at("other"));
  CHECK(second->find_service("payment")->schema().find_struct("common.Extra") != nullptr);
  CHECK(second->files.at("common.thrift").sha256 != first->files.at("common.thrift").sha256);
}

TEST_CASE("catalog: an include that would now resolve to another file rebuilds its service",
          "[catalog]") {
  TempDir dir("opp-catalog-");
  // sub/api.thrift includes "types.thrift": first found in idl_dir, until sub/types.thrift
  // appears, which the including file's own directory wins for.
  dir.write("types.thrift", "struct T { 1: i32 a }\n");
  dir.write("sub/api.thrift", "include \"types.thrift\"\nstruct Req { 1: types.T t }\n");
  dir.write("svc.thrift", "include \"sub/api.thrift\"\nservice S { void f(1: api.Req r) }\n");
  auto first = scan(dir.path());
  REQUIRE(first->find_service("svc"));
  CHECK_FALSE(first->files.at("svc.thrift").last_error);

  dir.write("sub/types.thrift", "struct T { 1: i32 a, 2: i32 b }\n");
  auto second = scan(dir.path(), first.get());
  REQUIRE(second->find_service("svc"));
  CHECK(second->services.at("svc") != first->services.at("svc"));
  const auto* t = second->find_service("svc")->schema().find_struct("types.T");
  REQUIRE(t);
  CHECK(t->fields.size() == 2);
}

TEST_CASE("catalog: a file fixed after an error is loaded again", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("svc.thrift", "service S { void f( }\n");
  auto first = scan(dir.path());
  CHECK(first->find_service("svc") == nullptr);
  auto second = scan(dir.path(), first.get());
  CHECK(second->files_reused == 1);  // still broken, same bytes: not parsed again
  REQUIRE(second->files.at("svc.thrift").last_error);
  dir.write("svc.thrift", "service S { void f() }\n");
  auto third = scan(dir.path(), second.get());
  REQUIRE(third->find_service("svc"));
  CHECK_FALSE(third->files.at("svc.thrift").last_error);
}
