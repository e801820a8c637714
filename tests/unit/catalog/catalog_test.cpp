// Catalog: snapshots published while readers on other threads take them.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "idl_test_util.hpp"
#include "opp/catalog/catalog.hpp"

using namespace opp::catalog;
using opp::idl::test::TempDir;

TEST_CASE("catalog: readers keep the snapshot they took while others are published", "[catalog]") {
  Catalog catalog;
  CHECK(catalog.current() == nullptr);
  auto a = std::make_shared<Snapshot>();
  a->generation = 7;
  catalog.publish(a);
  auto held = catalog.current();
  CHECK(held->generation == 7);
  auto b = std::make_shared<Snapshot>();
  b->generation = 8;
  catalog.publish(b);
  CHECK(catalog.current()->generation == 8);
  CHECK(held->generation == 7);
}

TEST_CASE("catalog: concurrent readers see whole snapshots, generations never go back",
          "[catalog]") {
  // Each snapshot carries as many files as its generation, so a torn or mixed-up view
  // would show a count that does not match.
  Catalog catalog;
  auto make = [](uint64_t generation) {
    auto s = std::make_shared<Snapshot>();
    s->generation = generation;
    for (uint64_t i = 0; i < generation % 7; ++i) s->files["f" + std::to_string(i)] = {};
    return s;
  };
  catalog.publish(make(1));
  constexpr uint64_t kPublications = 3000;
  std::atomic<bool> done{false};
  std::atomic<uint64_t> bad{0}, reads{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      CatalogReader reader(catalog);
      uint64_t last = 0;
      while (!done.load()) {
        std::shared_ptr<const Snapshot> s = t % 2 ? catalog.current() : reader.current();
        if (!s || s->generation < last || s->files.size() != s->generation % 7) ++bad;
        last = s ? s->generation : last;
        ++reads;
      }
    });
  }
  std::thread writer([&] {
    for (uint64_t g = 2; g <= kPublications; ++g) catalog.publish(make(g));
  });
  writer.join();
  done = true;
  for (auto& r : readers) r.join();
  CHECK(bad == 0);
  CHECK(reads > 0);
  CHECK(catalog.current()->generation == kPublications);
  CatalogReader late(catalog);
  CHECK(late.current()->generation == kPublications);
}

TEST_CASE("catalog: concurrent rescans publish strictly increasing generations", "[catalog]") {
  TempDir dir("opp-catalog-");
  dir.write("svc.thrift", "service S { void f() }\n");
  Catalog catalog;
  std::vector<std::thread> scanners;
  std::atomic<int> out_of_order{0};
  for (int t = 0; t < 3; ++t) {
    scanners.emplace_back([&] {
      uint64_t last = 0;
      for (int i = 0; i < 20; ++i) {
        uint64_t g = catalog.rescan(dir.path())->generation;
        if (g <= last) ++out_of_order;
        last = g;
      }
    });
  }
  for (auto& s : scanners) s.join();
  CHECK(out_of_order == 0);
  CHECK(catalog.current()->generation == 60);
  CHECK(catalog.current()->find_service("svc") != nullptr);
}
