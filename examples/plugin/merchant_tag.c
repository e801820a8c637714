/* merchant-tag: an example gateway plugin in plain C, built out of tree against the
 * installed opp/plugin.h (find_package(OppPlugin)); see README.md.
 *
 *   on_response  adds "X-Opp-Merchant: <merchant id>" to every response of an authenticated
 *                merchant call (the merchant is unknown before authentication succeeds).
 *   on_call      rejects a call to an IDL function named in `deny_methods` with
 *                10001 "invalid-param" (HTTP 400), sub_message naming the method.
 *
 * The config is read by hand, deliberately minimally, to keep the example free of a YAML
 * library: the gateway hands a plugin its `config:` mapping re-emitted by yaml-cpp's
 * YAML::Dump, and this file reads exactly the texts YAML::Dump makes of a mapping whose
 * only key is deny_methods (README.md lists them); anything else is refused with one line
 * naming the key.
 *
 * Threads: an instance is never changed after create(), so the hooks, which the gateway
 * calls from every io thread at once, read it without locks. There is no reconfigure():
 * on a reload with a changed config the gateway creates a fresh instance.
 */
#include <opp/plugin.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN_NAME "merchant-tag"
#define MERCHANT_HEADER "X-Opp-Merchant"

/* A denied method: a view into the instance's copy of the config text. */
typedef struct name_entry {
  const char* data;
  size_t size;
  size_t index; /* position in deny_methods, for error messages */
} name_entry;

typedef struct instance {
  const opp_host* host;
  char* text;        /* the config text, owned; the entries point into it */
  name_entry* names; /* sorted by (size, bytes) for bsearch */
  size_t count;
} instance;

/* ------------------------------------------------------------------------------------ */
/* The config reader.                                                                    */

typedef struct reader {
  const char* p;
  const char* end;
  instance* out;
  size_t capacity;
  opp_error_buffer* error;
} reader;

/* Writes one line into the host's error buffer; returns 0 so callers can `return fail()`. */
static int fail(reader* r, const char* format, ...) {
  if (r->error && r->error->text && r->error->size > 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(r->error->text, r->error->size, format, args);
    va_end(args);
  }
  return 0;
}

static int at_end(const reader* r) {
  return r->p >= r->end;
}
static int peek_is(const reader* r, char c) {
  return r->p < r->end && *r->p == c;
}
static void skip_spaces(reader* r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t')) ++r->p;
}
static void skip_whitespace(reader* r) {
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) ++r->p;
}

static int is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
static int is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9');
}

/* A mapping key: everything up to ':' on this line (for naming an unknown one). Returns 0
 * when there is no "key:" here. */
static int read_key(reader* r, const char** key, size_t* size) {
  const char* start = r->p;
  while (r->p < r->end && *r->p != ':' && *r->p != '\n' && *r->p != ',' && *r->p != '}') ++r->p;
  if (!peek_is(r, ':') || r->p == start) return 0;
  *key = start;
  *size = (size_t)(r->p - start);
  ++r->p; /* ':' */
  return 1;
}

/* Adds deny_methods[index]: the text [start, stop), which must be an IDL function name. */
static int add_name(reader* r, const char* start, const char* stop, size_t index) {
  while (stop > start && (stop[-1] == ' ' || stop[-1] == '\t' || stop[-1] == '\r')) --stop;
  int valid = stop > start && is_name_start(*start);
  for (const char* c = start; valid && c < stop; ++c) valid = is_name_char(*c);
  if (!valid) {
    return fail(r, "deny_methods[%zu]: expected an IDL function name ([A-Za-z_][A-Za-z0-9_]*)",
                index);
  }
  if (r->out->count == r->capacity) {
    const size_t capacity = r->capacity ? 2 * r->capacity : 8;
    name_entry* grown = realloc(r->out->names, capacity * sizeof *grown);
    if (!grown) return fail(r, "deny_methods: out of memory");
    r->out->names = grown;
    r->capacity = capacity;
  }
  name_entry* entry = &r->out->names[r->out->count++];
  entry->data = start;
  entry->size = (size_t)(stop - start);
  entry->index = index;
  return 1;
}

static const char kExpectedList[] =
    "deny_methods: expected a list of IDL function names, e.g. [UnifyPay, Refund]";

/* "[A, B]" as YAML::Dump writes a list in flow style; "[]" for an empty one. */
static int read_flow_list(reader* r) {
  ++r->p; /* '[' */
  skip_spaces(r);
  if (peek_is(r, ']')) {
    ++r->p;
    return 1;
  }
  for (size_t index = 0;; ++index) {
    const char* start = r->p;
    while (r->p < r->end && *r->p != ',' && *r->p != ']' && *r->p != '\n') ++r->p;
    if (!add_name(r, start, r->p, index)) return 0;
    if (peek_is(r, ']')) {
      ++r->p;
      return 1;
    }
    if (!peek_is(r, ',')) return fail(r, "deny_methods: the list [A, B] is not closed on its line");
    ++r->p;
    skip_spaces(r);
  }
}

/* "\n  - A\n  - B" as YAML::Dump writes a list in block style (never empty: an empty list
 * is always "[]"). Stops before the first line that is not an item. */
static int read_block_list(reader* r) {
  size_t index = 0;
  for (;;) {
    const char* line = r->p;
    if (peek_is(r, '\r')) ++r->p;
    if (!peek_is(r, '\n')) break;
    ++r->p;
    skip_spaces(r);
    if (!peek_is(r, '-') || r->p + 1 >= r->end || r->p[1] != ' ') {
      r->p = line;
      break;
    }
    r->p += 2;
    skip_spaces(r);
    const char* start = r->p;
    while (r->p < r->end && *r->p != '\n') ++r->p;
    if (!add_name(r, start, r->p, index++)) return 0;
  }
  if (index == 0) return fail(r, "%s", kExpectedList);
  return 1;
}

/* The value after "deny_methods:". In a flow mapping only a flow list can follow. */
static int read_deny_methods(reader* r, int in_flow_mapping) {
  skip_spaces(r);
  if (peek_is(r, '[')) return read_flow_list(r);
  if (!in_flow_mapping && (peek_is(r, '\n') || peek_is(r, '\r'))) return read_block_list(r);
  return fail(r, "%s", kExpectedList);
}

/* After the one known entry: the end of the mapping, or a key this plugin does not know. */
static int refuse_next_key(reader* r) {
  const char* key = NULL;
  size_t size = 0;
  if (!read_key(r, &key, &size)) {
    return fail(r,
                "config: not a form this plugin reads (expected {deny_methods: [A, B]} or a "
                "block mapping of deny_methods; see its README)");
  }
  if (size == strlen("deny_methods") && memcmp(key, "deny_methods", size) == 0)
    return fail(r, "deny_methods: given twice");
  return fail(r, "%.*s: unknown key (this plugin reads only deny_methods)",
              (int)(size > 64 ? 64 : size), key);
}

/* The whole config: "{}", "{deny_methods: ...}" or a block mapping "deny_methods: ...".
 * Empty text reads as "{}", as for the built-in plugins. */
static int read_config(reader* r) {
  skip_whitespace(r);
  if (at_end(r)) return 1;
  const int flow = peek_is(r, '{');
  if (flow) {
    ++r->p;
    skip_spaces(r);
    if (peek_is(r, '}')) {
      ++r->p;
      skip_whitespace(r);
      return at_end(r) ? 1 : fail(r, "config: text after the mapping");
    }
  }
  const char* key = NULL;
  size_t size = 0;
  const char* key_start = r->p;
  if (!read_key(r, &key, &size)) {
    return fail(r,
                "config: not a form this plugin reads (expected {deny_methods: [A, B]} or a "
                "block mapping of deny_methods; see its README)");
  }
  if (size != strlen("deny_methods") || memcmp(key, "deny_methods", size) != 0) {
    r->p = key_start;
    return refuse_next_key(r);
  }
  if (!read_deny_methods(r, flow)) return 0;
  skip_spaces(r);
  if (flow) {
    if (peek_is(r, ',')) {
      ++r->p;
      skip_spaces(r);
      return refuse_next_key(r);
    }
    if (!peek_is(r, '}')) return fail(r, "config: the mapping {...} is not closed");
    ++r->p;
  }
  skip_whitespace(r);
  return at_end(r) ? 1 : refuse_next_key(r);
}

/* ------------------------------------------------------------------------------------ */
/* The set of denied names.                                                              */

static int compare_names(const void* a, const void* b) {
  const name_entry* x = a;
  const name_entry* y = b;
  if (x->size != y->size) return x->size < y->size ? -1 : 1;
  return memcmp(x->data, y->data, x->size);
}

/* Sorts the names for bsearch; a name listed twice is a config error. */
static int index_names(reader* r) {
  instance* self = r->out;
  if (self->count > 1) qsort(self->names, self->count, sizeof *self->names, compare_names);
  for (size_t i = 1; i < self->count; ++i) {
    if (compare_names(&self->names[i - 1], &self->names[i]) == 0) {
      const name_entry* a = &self->names[i - 1];
      const name_entry* b = &self->names[i];
      return fail(r, "deny_methods[%zu]: %.*s is listed twice",
                  a->index > b->index ? a->index : b->index, (int)(b->size > 64 ? 64 : b->size),
                  b->data);
    }
  }
  return 1;
}

static int is_denied(const instance* self, opp_str method) {
  if (!method.data || self->count == 0) return 0;
  const name_entry key = {method.data, method.size, 0};
  return bsearch(&key, self->names, self->count, sizeof *self->names, compare_names) != NULL;
}

/* ------------------------------------------------------------------------------------ */
/* The plugin.                                                                           */

static void destroy(void* p) {
  instance* self = p;
  if (!self) return;
  free(self->names);
  free(self->text);
  free(self);
}

static void* create(const opp_host* host, const char* config_yaml, size_t config_size,
                    opp_error_buffer* error) {
  instance* self = calloc(1, sizeof *self);
  reader r = {NULL, NULL, self, 0, error};
  if (self) self->text = malloc(config_size + 1);
  if (!self || !self->text) {
    fail(&r, "config: out of memory");
    destroy(self);
    return NULL;
  }
  self->host = host;
  if (config_size) memcpy(self->text, config_yaml, config_size);
  self->text[config_size] = '\0';

  r.p = self->text;
  r.end = self->text + config_size;
  if (!read_config(&r) || !index_names(&r)) {
    destroy(self);
    return NULL;
  }
  char line[128];
  snprintf(line, sizeof line, "tags responses with " MERCHANT_HEADER "; denies %zu method(s)",
           self->count);
  host->log(OPP_LOG_INFO, PLUGIN_NAME, line);
  return self;
}

static opp_verdict on_call(void* p, opp_request* r) {
  const instance* self = p;
  const opp_str method = self->host->method(r);
  if (!is_denied(self, method)) return OPP_CONTINUE;
  char message[256];
  snprintf(message, sizeof message, "method: %.*s is not allowed on this gateway",
           (int)(method.size > 128 ? 128 : method.size), method.data);
  self->host->reject(r, 10001, "invalid-param", message);
  return OPP_STOP;
}

static void on_response(void* p, opp_request* r) {
  const instance* self = p;
  const opp_str merchant = self->host->merchant(r);
  /* Merchant ids are at most 64 characters (opp-admin); a longer one is left untagged
   * rather than cut, so the header never names another merchant. */
  char value[256];
  if (!merchant.data || merchant.size == 0 || merchant.size >= sizeof value) return;
  memcpy(value, merchant.data, merchant.size);
  value[merchant.size] = '\0';
  self->host->add_response_header(r, MERCHANT_HEADER, value);
}

static const opp_plugin kPlugin = {
    OPP_PLUGIN_ABI_VERSION, PLUGIN_NAME, "0.1.0", create, NULL, destroy, NULL, on_call, on_response,
};

/* The one symbol this module exports (the build hides every other one). */
OPP_PLUGIN_EXPORT const opp_plugin* opp_plugin_entry(void) {
  return &kPlugin;
}
