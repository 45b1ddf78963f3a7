/* The version, three ways, must agree: segrecv_version() of the library
 * linked, the SEGRECV_VERSION_* macros of the header compiled against, and
 * the version the build or package declares (SEGRECV_EXPECTED_VERSION,
 * given on the command line: CMake's PROJECT_VERSION, pkg-config's
 * --modversion, or find_package's segrecv_VERSION). */
#include <segrecv.h>

#include <stdio.h>
#include <string.h>

#ifndef SEGRECV_EXPECTED_VERSION
#error "compile with -DSEGRECV_EXPECTED_VERSION='\"MAJOR.MINOR.PATCH\"'"
#endif

#define STR_(x) #x
#define STR(x) STR_(x)

int main(void)
{
    const char *macros = STR(SEGRECV_VERSION_MAJOR) "." STR(SEGRECV_VERSION_MINOR) "." STR(
        SEGRECV_VERSION_PATCH);
    char number[32];
    snprintf(number, sizeof number, "%d.%d.%d", SEGRECV_VERSION_NUMBER / 10000,
             SEGRECV_VERSION_NUMBER / 100 % 100, SEGRECV_VERSION_NUMBER % 100);
    printf("expected %s, header macros %s, SEGRECV_VERSION_NUMBER %d (%s), "
           "segrecv_version() %s\n",
           SEGRECV_EXPECTED_VERSION, macros, SEGRECV_VERSION_NUMBER, number, segrecv_version());
    int ok = strcmp(macros, SEGRECV_EXPECTED_VERSION) == 0 &&
             strcmp(number, SEGRECV_EXPECTED_VERSION) == 0 &&
             strcmp(segrecv_version(), SEGRECV_EXPECTED_VERSION) == 0;
    puts(ok ? "versions agree" : "VERSIONS DISAGREE");
    return ok ? 0 : 1;
}
