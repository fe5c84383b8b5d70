// The translation unit the test binaries' precompiled header is built with.
