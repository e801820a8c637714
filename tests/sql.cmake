# Tests of the generic SQL library (src/sql) on SQLite: pooled leases, write transactions
# and the write turn, session types of its users.
add_executable(sql_unit_tests ${CMAKE_CURRENT_LIST_DIR}/unit/sql/session_test.cpp)
target_link_libraries(sql_unit_tests PRIVATE opp_sql opp_catch_main Threads::Threads)
catch_discover_tests(sql_unit_tests PROPERTIES LABELS "unit")
