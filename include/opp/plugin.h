/* opp/plugin.h — the gateway's plugin ABI (SPEC §9).
 *
 * A plugin is a table of C functions (struct opp_plugin) that the gateway calls at three
 * points of every request:
 *
 *   on_http     every HTTP request, before routing (listing routes, OPTIONS, the merchant
 *               API). May answer the request itself (a CORS preflight) or add headers.
 *   on_call     a merchant call after authentication and method resolution, before
 *               biz_params is transcoded (so the merchant, svc and method are known).
 *               May reject it with an error code of SPEC §3.3.
 *   on_response every response, just before it is written: sees the HTTP status and
 *               err_code; may add headers; must not change the body.
 *
 * The ABI is plain C so that a plugin can be built by any compiler against this one
 * header, without linking the gateway: everything a plugin reads or does goes through the
 * struct opp_host table of function pointers that the gateway passes to create().
 *
 * Versioning. A shared-object plugin exports one function,
 *
 *     const struct opp_plugin* opp_plugin_entry(void);
 *
 * (OPP_PLUGIN_EXPORT marks it) and sets opp_plugin.abi_version = OPP_PLUGIN_ABI_VERSION.
 * The gateway refuses a plugin whose abi_version differs from its own, before calling any
 * other of its functions. Any change to a struct layout or a function signature in this
 * file increments OPP_PLUGIN_ABI_VERSION; members are only ever appended.
 *
 * Threads. create() and reconfigure() are called on the gateway's control thread (start-up,
 * config reloads), never concurrently with each other. on_http, on_call and on_response
 * are called concurrently from every io thread of the gateway, possibly for the same
 * instance at the same time, and reconfigure() runs while they do: an instance's mutable
 * state must be synchronised by the plugin (atomics, sharded locks, a config swapped
 * atomically). A hook runs on an io thread: it must not block (no disk or network I/O on
 * the request path; hand such work to a thread of the plugin's own). destroy() is called
 * once, on whichever thread released the instance last (an io thread finishing the last
 * request of a replaced config, or the main thread at exit), after every hook call on
 * that instance has returned; it may join the plugin's own threads.
 *
 * Scope. An entry without `svc:` sees every request; one with `svc: [..]` sees only the
 * merchant API requests (/gateway/{svc}) of those services, in all three hooks.
 *
 * Lifetimes. An opp_str handed to a plugin is valid until the hook returns. Strings a
 * plugin hands to the host (headers, rejections) are copied before the call returns.
 */
#ifndef OPP_PLUGIN_H
#define OPP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Incremented on every incompatible change of this file. */
#define OPP_PLUGIN_ABI_VERSION 1u

#if defined(__GNUC__)
#define OPP_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define OPP_PLUGIN_EXPORT
#endif

/** A byte string that is not NUL-terminated. data == NULL means "absent". */
typedef struct opp_str {
  const char* data;
  size_t size;
} opp_str;

/** What a hook tells the gateway. */
typedef enum opp_verdict {
  OPP_CONTINUE = 0, /**< go on with the next plugin, then the gateway */
  OPP_STOP = 1      /**< the plugin answered (on_http) or rejected (on_call) */
} opp_verdict;

/** The request a hook is called for; opaque, read through struct opp_host. */
typedef struct opp_request opp_request;

/** Log levels of opp_host.log. */
typedef enum opp_log_level { OPP_LOG_INFO = 0, OPP_LOG_WARN = 1, OPP_LOG_ERROR = 2 } opp_log_level;

/** The gateway's side: what a plugin may read and do. Valid from create() to destroy(). */
typedef struct opp_host {
  uint32_t abi_version; /**< the gateway's OPP_PLUGIN_ABI_VERSION */

  /* --- reading the request (any hook) --- */
  /** "GET", "POST", "OPTIONS", ... */
  opp_str (*http_method)(const opp_request* r);
  /** The path, without the query string. */
  opp_str (*path)(const opp_request* r);
  /** A request header by case-insensitive name; absent when not sent. */
  opp_str (*header)(const opp_request* r, const char* name);
  /** The peer's IP address as text ("127.0.0.1", "::1"). */
  opp_str (*client_address)(const opp_request* r);
  /** The request id of X-Request-Id (the client's, or one the gateway generated). */
  opp_str (*request_id)(const opp_request* r);

  /* --- reading the merchant call (on_call, on_response of a merchant call) --- */
  /** A signed request parameter by name ("app_id", "biz_params", ...); absent if not sent. */
  opp_str (*param)(const opp_request* r, const char* name);
  /** The authenticated merchant id; absent before authentication or when it failed. */
  opp_str (*merchant)(const opp_request* r);
  /** The svc of /gateway/{svc} as requested (in on_http possibly not a known service);
   *  absent outside the merchant API. */
  opp_str (*svc)(const opp_request* r);
  /** The IDL function name the method resolved to; absent until resolved. */
  opp_str (*method)(const opp_request* r);

  /* --- reading the response (on_response) --- */
  /** The HTTP status of the response; 0 in on_http and on_call. */
  int32_t (*status)(const opp_request* r);
  /** The envelope's err_code (SPEC §3.3); 0 on success and outside the merchant API. */
  int32_t (*err_code)(const opp_request* r);
  /** Microseconds since the request was read. */
  int64_t (*elapsed_us)(const opp_request* r);

  /* --- acting --- */
  /** Adds a header to the response (whichever answers the request). */
  void (*add_response_header)(opp_request* r, const char* name, const char* value);
  /**
   * on_call: rejects the call. err_code and sub_code must be a pair of SPEC §3.3's table
   * (for example 10008 "rate-limited", 10002 "ip-not-allowed"); the HTTP status comes
   * from that table, the response is the gateway's signed error envelope. A pair the table
   * does not list answers 10006 "plugin-error" (HTTP 500). Then return OPP_STOP.
   */
  void (*reject)(opp_request* r, int32_t err_code, const char* sub_code, const char* message);
  /**
   * on_http: answers the request without routing it (a CORS preflight). body may be NULL.
   * Then return OPP_STOP.
   */
  void (*respond)(opp_request* r, int32_t http_status, const char* content_type,
                  const char* body, size_t body_size);
  /** A line to the gateway's log; never pass secrets or signatures. Thread-safe. */
  void (*log)(opp_log_level level, const char* plugin_name, const char* message);
} opp_host;

/**
 * Where create() and reconfigure() report a bad config: one line naming the key
 * ("per_merchant.rate: expected a positive number"). Write at most size - 1 bytes and a
 * terminating NUL.
 */
typedef struct opp_error_buffer {
  char* text;
  size_t size;
} opp_error_buffer;

/** A plugin: what opp_plugin_entry() returns; a static object of the plugin. */
typedef struct opp_plugin {
  uint32_t abi_version; /**< = OPP_PLUGIN_ABI_VERSION of the header the plugin was built with */
  const char* name;     /**< "rate-limit"; [a-z0-9-]+ */
  const char* version;  /**< the plugin's own version, for the log */

  /**
   * Validates config_yaml (the entry's `config:` mapping, as YAML text; "{}" when absent)
   * and returns a new instance, or NULL with a message in *error.
   */
  void* (*create)(const opp_host* host, const char* config_yaml, size_t config_size,
                  opp_error_buffer* error);
  /**
   * Optional (may be NULL): applies a new config to a live instance on a config reload,
   * keeping its state; returns 0, or -1 with a message in *error (the old config stays).
   * When NULL, a reload with a changed config creates a fresh instance instead.
   */
  int (*reconfigure)(void* instance, const char* config_yaml, size_t config_size,
                     opp_error_buffer* error);
  /** Releases an instance; no hook of it runs any more. */
  void (*destroy)(void* instance);

  /** Each hook may be NULL: the gateway then never calls it (and pays nothing for it). */
  opp_verdict (*on_http)(void* instance, opp_request* r);
  opp_verdict (*on_call)(void* instance, opp_request* r);
  void (*on_response)(void* instance, opp_request* r);
} opp_plugin;

/** The one symbol a shared-object plugin exports. */
typedef const opp_plugin* (*opp_plugin_entry_fn)(void);
#define OPP_PLUGIN_ENTRY_SYMBOL "opp_plugin_entry"

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* OPP_PLUGIN_H */
