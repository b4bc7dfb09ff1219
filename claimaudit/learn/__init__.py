"""A small sentence model trained inside the project on its own annotated sentences.

`features` turns a sentence span into sparse features (knowledge-base terms and numbers become
placeholders, so the model learns wording, not names); `linear` is a multinomial logistic
regression written with numpy (deterministic: zero start, full-batch updates, rounded weights);
`data` builds the training rows from the gold corpora and `corpora/training/*.jsonl`; `train`
fits both heads (claim kind, certainty) and writes `claimaudit/models/sentence_model.json`.
The model proposes; the knowledge base and the rules judge.
"""
