"""Embedded e-invoices (Factur-X / ZUGFeRD / XRechnung): the XML attachment chosen and parsed
safely (CII, UBL), its values mapped onto the invoice schema, and the cross-check against the
visible text. A new XML syntax goes here.

May import the reading stage, `extractor.values` and the spine; never the pipeline or storage.
"""
