"""Fine-tuning the bundled model for its one job in the pipeline: choosing a field's value
among the candidates the layout rules found. `examples` writes the training and test
examples (on any machine), `finetune` trains a LoRA adapter on a GPU and writes it as GGUF."""
