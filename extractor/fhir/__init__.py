"""FHIR R4 from clinical results: one Bundle per document, built from stored field values.
Pure mapping; reading the stored runs is `extractor.store.fhir_export`.

May import only the spine.
"""
