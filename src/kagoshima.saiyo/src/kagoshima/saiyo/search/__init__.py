"""Site search for Japanese visitors, and the on-site assistant.

One concern, several owners of its parts:

- ``text``: what each content type contributes to ``SearchableText`` (every field a visitor
  reads, datagrid rows, the text of PDF files);
- ``analysis``: Japanese analysis (SudachiPy): normalised forms, readings, compounds,
  n-gram fallback, and the synonyms administrators edit;
- ``index``: the catalog index that replaces the stock ``SearchableText`` ZCTextIndex
  (BM25 over the analysed terms, title weight, domain ranking, semantic fusion);
- ``semantic``: document and query vectors from the chiVe word vectors of ja-ginza;
- ``views``: the results page and the header's live search;
- ``assistant``: answers to visitors' questions taken only from published pages.
"""
