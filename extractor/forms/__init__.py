"""Filled forms onto schemas: AcroForm values and the boxes of a flattened CMS-1500 mapped to
fields, exactly, with method `form`.

May import the reading stage, `extractor.clinical`, `extractor.text`, `extractor.model`,
`extractor.values` and the spine; never the pipeline or storage.
"""
