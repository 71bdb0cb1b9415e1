"""Clinical documents: the rules for lab results, diagnoses, medications and procedures, the
clinical checks, what the CMS-1500's boxes mean for a claim, and routing a document to its
schema (`auto`). A new clinical schema's rules go here (its model goes in `schemas/`).

May import the reading stage, `extractor.values`, `extractor.text`, `extractor.model` and the
spine; never the pipeline or storage.
"""
