"""The pipeline's stages: pure decision logic and the thin Redis adapters around it."""
