"""The local model and where it meets the rules: the GGUF runtime (llama-cpp-python under
outlines' grammars), grounding to the document's text, prompts, choosing among the rules'
candidates, calibrated confidence, the text path that combines them, packaged models,
the start-up self-test, warm-up and stand-in backends. Another model runtime goes here.

The only package that imports `llama_cpp` and `outlines`. May import the rules
(`extractor.text`), `extractor.values`, the reading stage and the spine.
"""
