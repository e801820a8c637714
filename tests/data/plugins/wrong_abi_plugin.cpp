// A shared-object plugin built for another ABI (OPP_PLUGIN_ABI_VERSION + 1), for the
// loader's refusal test: the gateway must refuse it before calling any of its functions
// (include/opp/plugin.h, "Versioning"). Every function here aborts with a message, so a
// loader that calls one fails its test loudly instead of running a mismatched plugin.
#include <cstdio>
#include <cstdlib>

#include "opp/plugin.h"

namespace {

[[noreturn]] void called(const char* what) {
  std::fprintf(stderr, "wrong-abi test plugin: %s called despite the ABI mismatch\n", what);
  std::abort();
}

void* create(const opp_host*, const char*, size_t, opp_error_buffer*) {
  called("create()");
}
int reconfigure(void*, const char*, size_t, opp_error_buffer*) {
  called("reconfigure()");
}
void destroy(void*) {
  called("destroy()");
}
opp_verdict on_http(void*, opp_request*) {
  called("on_http()");
}
opp_verdict on_call(void*, opp_request*) {
  called("on_call()");
}
void on_response(void*, opp_request*) {
  called("on_response()");
}

const opp_plugin kPlugin{
    OPP_PLUGIN_ABI_VERSION + 1,
    "wrong-abi",
    "0.0.0",
    create,
    reconfigure,
    destroy,
    on_http,
    on_call,
    on_response,
};

}  // namespace

extern "C" OPP_PLUGIN_EXPORT const opp_plugin* opp_plugin_entry(void) {
  return &kPlugin;
}
