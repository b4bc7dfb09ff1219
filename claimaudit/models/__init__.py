"""Trained model weights shipped with the package (`sentence_model.json`, see claimaudit.learn)."""
