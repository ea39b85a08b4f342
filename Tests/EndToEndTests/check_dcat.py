"""Checks a release's DCAT-AP catalogue (catalog.jsonld) with rdflib, and with pyshacl when shapes are given.

    check_dcat.py RELEASE PUBLISHER_NAME                 the structure (no third-party files needed)
    check_dcat.py RELEASE PUBLISHER_NAME SHAPES_FOLDER   also the DCAT-AP 3.0.1 SHACL shapes

Structure: a dataset and its distributions are distinct nodes (no node is both), media types are
IANA IRIs matching the Data Package's, formats and languages are EU authority IRIs of the
tables' form (and each vocabulary IRI placed in its own table), the catalogue has one publisher,
a foaf:Agent with the site's name, dates are typed. SHACL: shapes.ttl, range.ttl and
mdr-vocabularies.shape.ttl merged into one shapes graph (as the shapes' README says); prints
the number of violations and of warnings, and each violation. Exit status 1 on any failure.
"""
import glob
import json
import os
import re
import sys

import rdflib
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

release, publisher_name = sys.argv[1], sys.argv[2]
shapes_folder = sys.argv[3] if len(sys.argv) > 3 else None
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
IANA = "http://www.iana.org/assignments/media-types/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
# Codes of the EU authority tables that the tool publishes (a subset of the tables).
FILE_TYPES = {"CSV", "JSON", "TSV", "XLSX"}
LANGUAGES = {"VIE", "ENG"}
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


graph = rdflib.Graph()
graph.parse(os.path.join(release, "catalog.jsonld"), format="json-ld")
datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
check(datasets and not (datasets & distributions), f"{len(datasets)} datasets, {len(distributions)} distributions, no node typed both")

media_types = {}
for path in glob.glob(os.path.join(release, "*", "datapackage.json")):
    with open(path, encoding="utf-8") as handle:
        package = json.load(handle)
    for resource in package["resources"]:
        media_types[f"{package['homepage']}/{resource['path']}"] = resource["mediatype"]

for dataset in sorted(datasets):
    files = list(graph.objects(dataset, DCAT.distribution))
    check(len(files) > 0, f"{dataset} has distributions")
    for distribution in files:
        downloads = list(graph.objects(distribution, DCAT.downloadURL))
        check(distribution != dataset and dataset not in downloads, f"{distribution} is not the dataset's IRI")
        check(isinstance(distribution, rdflib.URIRef), f"{distribution} is an IRI")
        for media in graph.objects(distribution, DCAT.mediaType):
            published = media_types.get(str(downloads[0]) if downloads else "")
            expected = "application/json" if published == "application/schema+json" else published
            check(isinstance(media, rdflib.URIRef) and str(media) == IANA + str(expected), f"{distribution}: mediaType {media} is the IANA IRI of {published}")
            check((media, RDF.type, DCTERMS.MediaType) in graph, f"{media} is a dct:MediaType")
        for form in graph.objects(distribution, DCTERMS.format):
            code = str(form)[len(AUTHORITY + "file-type/"):]
            check(isinstance(form, rdflib.URIRef) and str(form).startswith(AUTHORITY + "file-type/") and code in FILE_TYPES,
                  f"{distribution}: format {form} is an EU file type")
        for size in graph.objects(distribution, DCAT.byteSize):
            check(size.datatype == XSD.nonNegativeInteger, f"{distribution}: byteSize is an xsd:nonNegativeInteger")
    for language in graph.objects(dataset, DCTERMS.language):
        check(str(language)[len(AUTHORITY + "language/"):] in LANGUAGES and str(language).startswith(AUTHORITY + "language/"),
              f"{dataset}: language {language} is an EU language IRI")
    for modified in graph.objects(dataset, DCTERMS.modified):
        check(modified.datatype == XSD.dateTime, f"{dataset}: dct:modified is an xsd:dateTime")
    for rights in graph.objects(dataset, DCTERMS.accessRights):
        check(str(rights) == AUTHORITY + "access-right/PUBLIC", f"{dataset}: accessRights {rights}")
    check(len(list(graph.objects(dataset, DCTERMS.publisher))) == 1, f"{dataset} has one publisher")
    for contact in graph.objects(dataset, DCAT.contactPoint):
        VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
        emails = [str(email) for email in graph.objects(contact, VCARD.hasEmail)]
        check(len(emails) == 1 and emails[0].startswith("mailto:"), f"{dataset}: contact point {emails}")

# Every IRI placed in an authority table has that table's form: <table>/<CODE>.
for concept, scheme in graph.subject_objects(SKOS.inScheme):
    check(re.fullmatch(re.escape(str(scheme)) + "/[A-Z][A-Z0-9_]*", str(concept)) is not None, f"{concept} has the form of a code of {scheme}")

catalogs = list(graph.subjects(RDF.type, DCAT.Catalog))
check(len(catalogs) == 1, "one dcat:Catalog")
for catalog in catalogs:
    publishers = list(graph.objects(catalog, DCTERMS.publisher))
    check(len(publishers) == 1, "the catalogue has one dct:publisher")
    for agent in publishers:
        check((agent, RDF.type, FOAF.Agent) in graph, f"the publisher {agent} is a foaf:Agent")
        names = [str(name) for name in graph.objects(agent, FOAF.name)]
        check(publisher_name in names, f"the publisher is named {publisher_name!r} ({names})")
    check(len(list(graph.objects(catalog, DCTERMS.language))) > 0, "the catalogue names its languages")
    check(set(graph.objects(catalog, DCAT.dataset)) == datasets, "the catalogue lists every dataset")

if shapes_folder:
    import pyshacl

    shapes = rdflib.Graph()
    for name in ["shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl"]:
        shapes.parse(os.path.join(shapes_folder, name), format="turtle")
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True)
    SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    # The report's own results; the sh:detail results nested in them (why an sh:node failed) take their severity.
    found = [result for report in results.subjects(RDF.type, SH.ValidationReport) for result in results.objects(report, SH.result)]
    severities = [results.value(result, SH.resultSeverity) for result in found]
    violations = [result for result, severity in zip(found, severities) if severity == SH.Violation]
    warnings = [result for result, severity in zip(found, severities) if severity == SH.Warning]
    for result in violations[:20]:
        print(f"     violation: {results.value(result, SH.focusNode)} {results.value(result, SH.resultPath)}: {results.value(result, SH.resultMessage)}")
    paths = sorted({str(results.value(result, SH.resultPath)) for result in warnings})
    print(f"     warnings on: {', '.join(paths)}")
    check(len(violations) == 0, f"pyshacl: {len(violations)} violations, {len(warnings)} warnings against the DCAT-AP 3.0.1 shapes")

sys.exit(1 if failures else 0)
