"""Reading a PDF: opening it under limits in an isolated child process, passwords, the text
layer, XML attachments, form fields and widgets, flattened forms by box position, and OCR.

May import only the spine (`extractor.errors`, `extractor.settings`, `extractor.result`); it
knows nothing of invoices, clinical schemas or the model.
"""
