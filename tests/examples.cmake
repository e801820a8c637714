# The example merchant clients (examples/merchant.sh, examples/merchant.py), driven by
# tests/integration/examples/examples_test.py:
#   examples_known_answers         both clients reproduce the crypto tests' known answers
#   examples_request_signatures    hostile requests, every sign type and body format, are
#                                  decoded and verified by the gateway's own code
#   examples_tampered_responses    a local stub's signed and tampered answers
#   examples_secret_exposure       no command a client runs sees the HMAC secret in its
#                                  arguments or environment
#   examples_payment_flow_sh|_py   pay → query → refund → queryrefund → bill through the
#                                  real opp-gateway and opp-payment, three sign types
#   examples_tampered_gateway      the real gateway's answers altered in transit
#   examples_https                 both clients against the gateway's TLS listener
# The clients need the openssl and curl command lines; without them the tests report
# themselves skipped, naming what is missing.
set(OPP_EXAMPLES_TEST_DIR ${CMAKE_CURRENT_LIST_DIR}/integration/examples)

# The gateway's request decoding and the crypto library's signatures as a command line.
add_executable(examples_signature_oracle ${OPP_EXAMPLES_TEST_DIR}/signature_oracle.cpp)
target_link_libraries(examples_signature_oracle PRIVATE opp_gateway_request opp_crypto)
add_dependencies(examples_signature_oracle opp-payment opp-admin)
if(TARGET opp-gateway)
  add_dependencies(examples_signature_oracle opp-gateway)
endif()

find_program(OPP_PYTHON3 python3 REQUIRED)
find_program(OPP_OPENSSL_CLI openssl)
find_program(OPP_CURL_CLI curl)
set(OPP_EXAMPLES_MISSING "")
if(NOT OPP_OPENSSL_CLI)
  string(APPEND OPP_EXAMPLES_MISSING " openssl")
endif()
if(NOT OPP_CURL_CLI)
  string(APPEND OPP_EXAMPLES_MISSING " curl")
endif()

# opp_add_examples_test(NAME CASE LABEL [NEEDS_GATEWAY])
function(opp_add_examples_test name case label)
  cmake_parse_arguments(ARG "NEEDS_GATEWAY" "" "" ${ARGN})
  set(reason "")
  if(OPP_EXAMPLES_MISSING)
    set(reason "needs the command line tools:${OPP_EXAMPLES_MISSING}")
  elseif(ARG_NEEDS_GATEWAY AND NOT TARGET opp-gateway)
    set(reason "needs the opp-gateway target")
  endif()
  if(reason)
    add_test(NAME ${name} COMMAND sh -c "echo 'skipped: ${reason}'; exit 77")
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77 LABELS ${label})
    return()
  endif()
  set(command ${OPP_PYTHON3} ${OPP_EXAMPLES_TEST_DIR}/examples_test.py ${case}
      --source ${PROJECT_SOURCE_DIR} --oracle $<TARGET_FILE:examples_signature_oracle>
      --payment $<TARGET_FILE:opp-payment> --admin $<TARGET_FILE:opp-admin>)
  if(TARGET opp-gateway)
    list(APPEND command --gateway $<TARGET_FILE:opp-gateway>)
  endif()
  add_test(NAME ${name} COMMAND ${command})
  set_tests_properties(${name} PROPERTIES LABELS ${label} TIMEOUT 300)
endfunction()

opp_add_examples_test(examples_known_answers known-answers unit)
opp_add_examples_test(examples_request_signatures request-signatures integration)
opp_add_examples_test(examples_tampered_responses tampered-responses integration)
opp_add_examples_test(examples_secret_exposure secret-exposure integration)
opp_add_examples_test(examples_payment_flow_sh payment-flow-sh integration NEEDS_GATEWAY)
opp_add_examples_test(examples_payment_flow_py payment-flow-py integration NEEDS_GATEWAY)
opp_add_examples_test(examples_tampered_gateway tampered-gateway integration NEEDS_GATEWAY)
opp_add_examples_test(examples_https https integration NEEDS_GATEWAY)
