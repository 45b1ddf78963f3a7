/* seed-demo: the request from Segment's Direct Integration guide, fed through
 * segrecv_handle() as a host server would, printing the response and the
 * event that reached the callback. Takes a body file instead with an argument. */
#include <segrecv.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What Segment sends: Basic auth with key "segment" and an empty password. */
static const char HEADERS[] = "Authorization: Basic c2VnbWVudDo=\r\n"
                              "Content-Type: application/json\r\n"
                              "User-Agent: Segment.io/1.0\r\n";

/* The guide's identify, snake_case, with a numeric user_id. */
static const char SEED_BODY[] =
    "{\n"
    "  \"type\": \"identify\",\n"
    "  \"message_id\": \"4f0c6e3c-5b2f-4b4a-9a57-2f1f5cf3b1a2\",\n"
    "  \"timestamp\": \"2015-02-23T22:28:55.111Z\",\n"
    "  \"sent_at\": \"2015-02-23T22:28:55.111Z\",\n"
    "  \"received_at\": \"2015-02-23T22:28:55.387Z\",\n"
    "  \"user_id\": 12345,\n"
    "  \"traits\": {\"email\": \"peter@initech.com\", \"name\": \"Peter Gibbons\",\n"
    "             \"plan\": \"premium\", \"logins\": 5},\n"
    "  \"context\": {\"ip\": \"8.8.8.8\", \"user_agent\": \"Mozilla/5.0\"},\n"
    "  \"version\": \"1.1\"\n"
    "}\n";

static segrecv_status print_event(const segrecv_event *ev, segrecv_reply *reply, void *user_data)
{
    (void)reply;
    (void)user_data;
    char json[8192];
    size_t n = segrecv_event_to_json(ev, json, sizeof json);
    printf("dispatched %s event for key '%s' (user_id %s, timestamp %lld ms):\n%s%s\n",
           ev->type_name.ptr, ev->api_key.ptr, ev->user_id.ptr ? ev->user_id.ptr : "-",
           (long long)ev->timestamp.ms, json, n >= sizeof json ? "..." : "");
    return SEGRECV_OK;
}

static char *read_all(FILE *f, size_t *len)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    const char *body = SEED_BODY;
    size_t body_len = sizeof SEED_BODY - 1;
    char *file_body = NULL;
    if (argc > 1) {
        FILE *f = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
        if (!f || !(file_body = read_all(f, &body_len))) {
            perror(argv[1]);
            return 2;
        }
        body = file_body;
    }
    segrecv_receiver *rcv = segrecv_receiver_new(NULL);
    if (!rcv)
        return 2;
    segrecv_add_api_key(rcv, "segment", 7);
    segrecv_on_any(rcv, print_event, NULL);

    printf("request headers:\n%s\nrequest body:\n%.*s\n", HEADERS, (int)body_len, body);
    segrecv_response resp;
    segrecv_handle(rcv, HEADERS, sizeof HEADERS - 1, body, body_len, &resp);
    printf("response: HTTP %d (%s)%s%s\n", resp.http_status, segrecv_status_name(resp.status),
           resp.body_len ? " " : "", resp.body);

    segrecv_receiver_free(rcv);
    free(file_body);
    return resp.http_status < 300 ? 0 : 1;
}
