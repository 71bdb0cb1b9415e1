"""The learned candidate scorer: every printed date or amount described by the words around
it and where it stands (`features`), weighed per field by weights fitted on labelled
documents (`fit`) and shipped as a small table (`scorer.json`), which re-rank the rules'
options (`scorer`).

May import `extractor.text`, `extractor.values` and the spine; never the reading stage, the
model, the pipeline or storage.
"""
