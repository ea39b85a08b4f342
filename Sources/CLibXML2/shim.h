#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// pkg-config supplies libxml2's include directory, so include <libxml/...>.
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
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

#endif
