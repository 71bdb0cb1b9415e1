"""The review app: a local web app where a person checks the documents that need review,
corrects their fields on the page and confirms or rejects them (`extractor review serve`).

A thin web layer: the queries and what a review stores live in `extractor.store.review_*`,
page words and images in `extractor.read.page_words` / `page_image`.
"""
