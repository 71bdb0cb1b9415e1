"""OCR of pages without a usable text layer: rendering (PDFium), image clean-up, the
Tesseract engine, and the OCR evidence (word boxes and confidences) carried into fields.

Part of the reading stage: the same imports are allowed as in `extractor.read`.
"""
