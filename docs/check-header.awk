# Checks that the doc comment of every public function, callback type and
# struct in include/segrecv.h has an "Ownership:" and a "Thread-safety:"
# line (docs/CMakeLists.txt runs it as the docs_header test).
# Usage: awk -f docs/check-header.awk include/segrecv.h
# Prints each declaration that lacks one and exits 1; else prints a count.

# The C++ guard's braces are not declarations.
/^#ifdef __cplusplus/ { guard = 1 }
guard { if (/^#endif/) guard = 0; next }

# Inside a comment: collect it when it documents a top-level declaration.
in_comment {
    if (keep) doc = doc " " $0
    if (index($0, "*/")) in_comment = 0
    next
}

# A comment starting: "/**" at depth 0 opens a new doc comment.
{
    code = $0
    start = index(code, "/*")
    if (start && !index(substr(code, start), "*/")) {
        in_comment = 1
        keep = depth == 0 && index(code, "/**") == start && substr(code, start, 4) != "/**<"
        if (keep) doc = code
        next
    }
    if (depth == 0 && match(code, /^[ \t]*\/\*\*[^<]/)) {
        doc = code
        next
    }
    gsub(/\/\*.*\*\//, "", code) # trailing member comments
}

# A top-level declaration that must say who owns what and who may call it.
depth == 0 && code !~ /^#/ && (code ~ /SEGRECV_API / || code ~ /^typedef struct/ ||
                               code ~ /^typedef .*\(\*/) {
    name = code
    if (match(code, /\(\*[A-Za-z_0-9]+\)/)) name = substr(code, RSTART + 2, RLENGTH - 3)
    sub(/\(.*/, "", name)
    sub(/[ \t]*\{.*/, "", name)
    sub(/;.*/, "", name)
    n = split(name, words, /[ \t*]+/)
    name = words[n]
    if (name == "") name = code
    checked++
    missing = ""
    if (!index(doc, "Ownership:")) missing = missing " Ownership"
    if (!index(doc, "Thread-safety:")) missing = missing " Thread-safety"
    if (missing != "") {
        printf "%s:%d: %s: no%s line\n", FILENAME, FNR, name, missing
        bad++
    }
    doc = ""
}

{
    depth += gsub(/\{/, "{", code)
    depth -= gsub(/\}/, "}", code)
}

END {
    if (bad) {
        printf "%d of %d public declarations lack an Ownership or Thread-safety line\n", bad, checked
        exit 1
    }
    printf "%d public declarations, each with Ownership and Thread-safety lines\n", checked
}
