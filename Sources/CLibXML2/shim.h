#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// pkg-config supplies libxml2's include directory, so include <libxml/...>.
#include <libxml/xmlversion.h>

// Debian builds libxml2 with ICU, so <libxml/encoding.h> would include the
// system's <unicode/*.h>. Those clash with the ICU headers Foundation ships
// ("'UErrorCode' has different definitions in different modules") in any
// module that sees both Foundation and CLibXML2: a clean build failed on it.
// The only ICU-dependent declarations are two trailing pointer members of
// xmlCharEncodingHandler, a struct this project only ever handles through
// pointers, so hiding them changes nothing we use.
#undef LIBXML_ICU_ENABLED

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlwriter.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

// `xmlFree` is a global function-pointer variable in libxml2; Swift 6 rejects
// every use of it as shared mutable state, so reach it through a function.
static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}

// A loader that refuses every external entity or DTD, installed process-wide
// with xmlSetExternalEntityLoader: a second line of defence behind the parser
// options, so that no future option change can make libxml2 read a file or
// open a connection.
static inline xmlParserInputPtr clibxml2_deny_external_entity(
    const char *url, const char *identifier, xmlParserCtxtPtr context) {
    (void)url;
    (void)identifier;
    (void)context;
    return NULL;
}

static inline void clibxml2_install_deny_all_loader(void) {
    xmlSetExternalEntityLoader(clibxml2_deny_external_entity);
}

// libxml2 prints some errors itself, through the generic error function (encoding
// conversion failures, "xmlXPathCompOpEval: variable v bound to undefined prefix q") or the
// structured one when a context has none. Both are per thread in libxml2 2.9; these drop
// every message, so nothing reaches stderr behind the caller's back. The generic function
// is variadic, which Swift cannot define, hence C.
static inline void clibxml2_ignore_generic_error(void *context, const char *message, ...) {
    (void)context;
    (void)message;
}

static inline void clibxml2_ignore_structured_error(void *context, xmlErrorPtr error) {
    (void)context;
    (void)error;
}

/// Silences both error functions on the calling thread.
static inline void clibxml2_silence_this_thread(void) {
    xmlSetGenericErrorFunc(NULL, clibxml2_ignore_generic_error);
    xmlSetStructuredErrorFunc(NULL, clibxml2_ignore_structured_error);
}

/// Makes both error functions silent on every thread libxml2 meets after this call.
static inline void clibxml2_silence_new_threads(void) {
    xmlThrDefSetGenericErrorFunc(NULL, clibxml2_ignore_generic_error);
    xmlThrDefSetStructuredErrorFunc(NULL, clibxml2_ignore_structured_error);
}

#endif
