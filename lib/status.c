/* Names, descriptions and HTTP codes of statuses, from the one list. */
#include "internal.h"

#define STR_(x) #x
#define STR(x) STR_(x)

const char *segrecv_version(void)
{
    return STR(SEGRECV_VERSION_MAJOR) "." STR(SEGRECV_VERSION_MINOR) "." STR(
        SEGRECV_VERSION_PATCH);
}

const char *segrecv_status_name(segrecv_status status)
{
    switch (status) {
#define NAME_(name, code, http, desc) \
    case SEGRECV_##name:              \
        return #name;
        SEGRECV_STATUS_MAP(NAME_)
#undef NAME_
    default:
        return "UNKNOWN";
    }
}

const char *segrecv_status_str(segrecv_status status)
{
    switch (status) {
#define DESC_(name, code, http, desc) \
    case SEGRECV_##name:              \
        return desc;
        SEGRECV_STATUS_MAP(DESC_)
#undef DESC_
    default:
        return "unknown status";
    }
}

int segrecv_status_http(segrecv_status status)
{
    switch (status) {
#define HTTP_(name, code, http, desc) \
    case SEGRECV_##name:              \
        return http;
        SEGRECV_STATUS_MAP(HTTP_)
#undef HTTP_
    default:
        return 500;
    }
}
