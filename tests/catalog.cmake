# Tests of the service catalog (src/catalog): scans, reuse by content hash, atomic swaps.
add_executable(catalog_unit_tests
  ${CMAKE_CURRENT_LIST_DIR}/unit/catalog/catalog_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unit/catalog/scan_test.cpp)
target_include_directories(catalog_unit_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR}/unit/idl)
target_link_libraries(catalog_unit_tests PRIVATE opp_catalog opp_catch_main Threads::Threads)
catch_discover_tests(catalog_unit_tests PROPERTIES LABELS "unit")
