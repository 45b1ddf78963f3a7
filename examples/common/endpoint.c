/* The receiver configuration shared by segrecv-server and segrecv-check. */
#include "endpoint.h"

#include <stdio.h>
#include <string.h>

static int type_named(const char *name, size_t len, segrecv_type *out)
{
    for (int t = 0; t < SEGRECV_TYPE_COUNT; t++) {
        const char *known = segrecv_type_name((segrecv_type)t);
        if (strlen(known) == len && memcmp(known, name, len) == 0) {
            *out = (segrecv_type)t;
            return 1;
        }
    }
    return 0;
}

int endpoint_parse_types(const char *prog, const char *list, unsigned *mask)
{
    *mask = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            segrecv_type type;
            if (!type_named(p, len, &type)) {
                fprintf(stderr, "%s: unknown call type '%.*s' in --types (known:", prog,
                        (int)len, p);
                for (int t = 0; t < SEGRECV_TYPE_COUNT; t++)
                    fprintf(stderr, " %s", segrecv_type_name((segrecv_type)t));
                fprintf(stderr, ")\n");
                return -1;
            }
            *mask |= 1u << type;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    return 0;
}

/* Keys outside the accepted list land here: forbidden ones are known to
 * us, so they get 403 rather than 401. The key is never echoed. */
static segrecv_status check_key(const char *key, size_t len, segrecv_reply *reply,
                                void *user_data)
{
    const strlist *forbidden = user_data;
    if (strlist_has(forbidden, key, len)) {
        reply->message = "API key is not allowed to send events here";
        return SEGRECV_FORBIDDEN;
    }
    return SEGRECV_UNAUTHORIZED;
}

int endpoint_is_batch_path(const char *path, size_t len)
{
    const char *query = memchr(path, '?', len);
    if (query)
        len = (size_t)(query - path);
    size_t start = len;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return len - start == 5 && memcmp(path + start, "batch", 5) == 0;
}

static segrecv_status add_keys(segrecv_receiver *rcv, const strlist *keys)
{
    segrecv_status st = SEGRECV_OK;
    for (size_t i = 0; st == SEGRECV_OK && i < keys->count; i++)
        st = segrecv_add_api_key(rcv, keys->items[i], strlen(keys->items[i]));
    return st;
}

segrecv_receiver *endpoint_receiver(const char *prog, const endpoint_config *cfg,
                                    unsigned flags, segrecv_event_cb cb, void *user_data)
{
    segrecv_options options;
    memset(&options, 0, sizeof options);
    options.flags = cfg->flags | flags;
    segrecv_receiver *rcv = segrecv_receiver_new(&options);
    if (!rcv) {
        fprintf(stderr, "%s: out of memory\n", prog);
        return NULL;
    }
    segrecv_status st = add_keys(rcv, &cfg->api_keys);
    if (st == SEGRECV_INVALID_ARGUMENT) {
        fprintf(stderr, "%s: an --api-key is empty or longer than %zu bytes\n", prog,
                segrecv_receiver_limits(rcv).max_api_key_bytes);
        segrecv_receiver_free(rcv);
        return NULL;
    }
    if (st == SEGRECV_OK)
        st = segrecv_set_key_check(rcv, check_key, (void *)&cfg->forbidden_keys);
    if (st == SEGRECV_OK && cfg->signing_secret)
        st = segrecv_set_signing_secret(rcv, cfg->signing_secret, strlen(cfg->signing_secret));
    if (st == SEGRECV_NOT_IMPLEMENTED) { /* from the secret: the library lacks nettle */
        fprintf(stderr, "%s: this libsegrecv was built without X-Signature support\n", prog);
        segrecv_receiver_free(rcv);
        return NULL;
    }
    for (int t = 0; st == SEGRECV_OK && t < SEGRECV_TYPE_COUNT; t++)
        if (cfg->types & (1u << t))
            st = segrecv_on(rcv, (segrecv_type)t, cb, user_data);
    if (st != SEGRECV_OK) {
        fprintf(stderr, "%s: cannot configure the receiver: %s\n", prog, segrecv_status_str(st));
        segrecv_receiver_free(rcv);
        return NULL;
    }
    return rcv;
}
