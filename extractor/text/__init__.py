"""Rules over the page text: lines and labels, label-value pairing, parties and addresses,
totals and their arithmetic, invoice lines, and the ranking of each field's candidates.

May import `extractor.values` and the spine; never the reading stage, the model, the
pipeline or storage.
"""
