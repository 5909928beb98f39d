/*
 * ES256 signing for stirhub's hot path (N-API addon over the OpenSSL that Node itself carries).
 *
 * Why: node:crypto's sign() builds a fresh EVP context and looks up the digest on every call;
 * on OpenSSL 3 that overhead is a quarter of an ES256 signature. This addon keeps one EVP_PKEY
 * and one initialised EVP_PKEY_CTX per key and returns the JOSE form directly (raw r||s,
 * base64url), so one call is one SHA-256 and one ECDSA. Nothing else: keys are created and
 * parsed by node:crypto, verification stays in node:crypto, and the loader (es256-native.ts)
 * self-tests every key against node:crypto before using it.
 *
 * Built at install by scripts/build-native.mjs against Node's own headers; OpenSSL symbols come
 * from the running node binary (or the libcrypto it links), never from a second copy.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/opensslv.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>

/* A PKCS#8 P-256 key is under 200 bytes; anything this large is not one. */
#define ES256_MAX_KEY (64 * 1024)

typedef struct {
  EVP_PKEY *pkey;
  EVP_PKEY_CTX *ctx;
} signer_t;

static napi_value fail(napi_env env, const char *code, const char *msg) {
  napi_throw_error(env, code, msg);
  return NULL;
}

static void signer_free(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  signer_t *s = data;
  EVP_PKEY_CTX_free(s->ctx);
  EVP_PKEY_free(s->pkey);
  free(s);
}

/* create(pkcs8Der: Buffer) -> external handle. The key must be EC on P-256. */
static napi_value create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void *der;
  size_t len;
  bool is_buffer = false;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 1) return fail(env, "ERR_ES256_ARGS", "create(pkcs8) takes one Buffer");
  if (napi_is_buffer(env, argv[0], &is_buffer) != napi_ok || !is_buffer) return fail(env, "ERR_ES256_ARGS", "create(pkcs8) takes one Buffer");
  if (napi_get_buffer_info(env, argv[0], &der, &len) != napi_ok || len == 0 || len > ES256_MAX_KEY) return fail(env, "ERR_ES256_KEY", "not a PKCS#8 key");

  const unsigned char *p = der;
  EVP_PKEY *pkey = d2i_AutoPrivateKey(NULL, &p, (long)len);
  if (!pkey) return fail(env, "ERR_ES256_KEY", "not a PKCS#8 key");
  char group[32] = {0};
  size_t glen = 0;
  if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC || !EVP_PKEY_get_group_name(pkey, group, sizeof group, &glen) || strcmp(group, SN_X9_62_prime256v1) != 0) {
    EVP_PKEY_free(pkey);
    return fail(env, "ERR_ES256_KEY", "not a P-256 key");
  }
  signer_t *s = calloc(1, sizeof *s);
  if (!s) { EVP_PKEY_free(pkey); return fail(env, "ERR_ES256_MEMORY", "out of memory"); }
  s->pkey = pkey;
  s->ctx = EVP_PKEY_CTX_new(pkey, NULL);
  if (!s->ctx || EVP_PKEY_sign_init(s->ctx) != 1) { signer_free(env, s, NULL); return fail(env, "ERR_ES256_KEY", "EVP_PKEY_sign_init failed"); }

  napi_value handle;
  if (napi_create_external(env, s, signer_free, NULL, &handle) != napi_ok) { signer_free(env, s, NULL); return fail(env, "ERR_ES256_MEMORY", "napi_create_external failed"); }
  return handle;
}

static const char B64U[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* 64 bytes -> 86 base64url characters, no padding (RFC 7515 §2). */
static void b64u64(const unsigned char in[64], char out[86]) {
  size_t o = 0, i = 0;
  for (; i + 3 <= 63; i += 3) {
    unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
    out[o++] = B64U[v >> 18]; out[o++] = B64U[(v >> 12) & 63]; out[o++] = B64U[(v >> 6) & 63]; out[o++] = B64U[v & 63];
  }
  unsigned v = (unsigned)in[63] << 16;                  /* the 64th byte: two characters */
  out[o++] = B64U[v >> 18]; out[o++] = B64U[(v >> 12) & 63];
}

/* sign(handle, input: latin1 string) -> base64url(r||s). Input is a JWS signing input (ASCII), any length. */
static napi_value sign(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  signer_t *s;
  napi_valuetype t0, t1;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 2) return fail(env, "ERR_ES256_ARGS", "sign(handle, input) takes two arguments");
  if (napi_typeof(env, argv[0], &t0) != napi_ok || t0 != napi_external || napi_typeof(env, argv[1], &t1) != napi_ok || t1 != napi_string) return fail(env, "ERR_ES256_ARGS", "sign(handle, input) takes a handle and a string");
  if (napi_get_value_external(env, argv[0], (void **)&s) != napi_ok || !s) return fail(env, "ERR_ES256_ARGS", "not a signer handle");

  char stack[2048];
  char *buf = stack;
  size_t len = 0;
  if (napi_get_value_string_latin1(env, argv[1], NULL, 0, &len) != napi_ok) return fail(env, "ERR_ES256_ARGS", "input is not a string");
  if (len + 1 > sizeof stack && !(buf = malloc(len + 1))) return fail(env, "ERR_ES256_MEMORY", "out of memory");
  if (napi_get_value_string_latin1(env, argv[1], buf, len + 1, &len) != napi_ok) {
    if (buf != stack) free(buf);
    return fail(env, "ERR_ES256_ARGS", "input is not a string");
  }

  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256((const unsigned char *)buf, len, md);
  if (buf != stack) free(buf);

  unsigned char der[80];
  size_t dlen = sizeof der;
  if (EVP_PKEY_sign(s->ctx, der, &dlen, md, sizeof md) != 1) return fail(env, "ERR_ES256_SIGN", "EVP_PKEY_sign failed");
  const unsigned char *p = der;
  ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
  if (!sig) return fail(env, "ERR_ES256_SIGN", "OpenSSL returned no ECDSA signature");
  const BIGNUM *r, *sv;
  ECDSA_SIG_get0(sig, &r, &sv);
  unsigned char raw[64];
  int ok = BN_bn2binpad(r, raw, 32) == 32 && BN_bn2binpad(sv, raw + 32, 32) == 32;
  ECDSA_SIG_free(sig);
  if (!ok) return fail(env, "ERR_ES256_SIGN", "signature does not fit 64 bytes");

  char text[86];
  b64u64(raw, text);
  napi_value out;
  if (napi_create_string_latin1(env, text, sizeof text, &out) != napi_ok) return fail(env, "ERR_ES256_MEMORY", "napi_create_string_latin1 failed");
  return out;
}

/* The OpenSSL the addon was compiled against and the one it runs on: the loader refuses a major mismatch. */
static napi_value versions(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value o, built, running;
  napi_create_object(env, &o);
  napi_create_string_utf8(env, OPENSSL_VERSION_TEXT, NAPI_AUTO_LENGTH, &built);
  napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &running);
  napi_set_named_property(env, o, "built", built);
  napi_set_named_property(env, o, "running", running);
  return o;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
    { "create", NULL, create, NULL, NULL, NULL, napi_enumerable, NULL },
    { "sign", NULL, sign, NULL, NULL, NULL, napi_enumerable, NULL },
    { "versions", NULL, versions, NULL, NULL, NULL, napi_enumerable, NULL },
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return NULL;
  return exports;
}
