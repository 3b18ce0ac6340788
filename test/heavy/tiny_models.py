"""Builds tiny real models with random weights for the heavy tests: a demucs HTDemucs in a local repo folder, a wav2vec2
CTC model with a character vocabulary saved with save_pretrained, and NLTK punkt_tab sentence data trained on the
corpus transcripts (whisperx.align splits sentences with it). Usage: python tiny_models.py OUT_DIR [TEXT_FILE]."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import torch

DEMUCS_NAME = "tiny"
VOCAB = ["<pad>", "<s>", "</s>", "<unk>", "|", *"abcdefghijklmnopqrstuvwxyz'"]


def make_demucs(repo: Path) -> Path:
    """An HTDemucs small enough to run a clip in seconds, saved as demucs.states.serialize_model does (<name>.th)."""
    from demucs.htdemucs import HTDemucs
    from demucs.states import get_state

    torch.manual_seed(0)
    model = HTDemucs(sources=["other", "vocals"], audio_channels=2, channels=4, depth=2, t_layers=1, t_heads=2,
                     t_hidden_scale=1.0, dconv_comp=2, samplerate=44100, segment=4)
    args, kwargs = model._init_args_kwargs
    package = {"klass": HTDemucs, "args": args, "kwargs": kwargs, "state": get_state(model, None, half=False),
               "training_args": {}}
    repo.mkdir(parents=True, exist_ok=True)
    target = repo / f"{DEMUCS_NAME}.th"
    torch.save(package, target)
    return target


def make_wav2vec2(folder: Path) -> Path:
    """A two-layer Wav2Vec2ForCTC over lower-case letters, with its processor (tokenizer and feature extractor)."""
    from transformers import (Wav2Vec2Config, Wav2Vec2CTCTokenizer, Wav2Vec2FeatureExtractor, Wav2Vec2ForCTC,
                              Wav2Vec2Processor)

    folder.mkdir(parents=True, exist_ok=True)
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps({c: i for i, c in enumerate(VOCAB)}))
    tokenizer = Wav2Vec2CTCTokenizer(str(vocab_file), unk_token="<unk>", pad_token="<pad>", word_delimiter_token="|")
    extractor = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=16000, padding_value=0.0, do_normalize=True,
                                         return_attention_mask=False)
    Wav2Vec2Processor(feature_extractor=extractor, tokenizer=tokenizer).save_pretrained(folder)
    torch.manual_seed(0)
    config = Wav2Vec2Config(vocab_size=len(VOCAB), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            intermediate_size=64, conv_dim=(32, 32, 32), conv_stride=(5, 4, 4), conv_kernel=(10, 4, 4),
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, pad_token_id=0,
                            do_stable_layer_norm=False, feat_extract_norm="group")
    Wav2Vec2ForCTC(config).save_pretrained(folder)
    return folder


def make_punkt(nltk_data: Path, text: str) -> Path:
    """English punkt_tab parameters trained on `text`, in the layout nltk.data finds under NLTK_DATA."""
    from nltk.tabdata import TabEncoder
    from nltk.tokenize.punkt import PunktTrainer

    trainer = PunktTrainer()
    trainer.train(text, finalize=True)
    params = trainer.get_params()
    folder = nltk_data / "tokenizers" / "punkt_tab" / "english"
    folder.mkdir(parents=True, exist_ok=True)
    enc = TabEncoder()
    (folder / "collocations.tab").write_text(enc.tups2tab(params.collocations), encoding="utf-8")
    (folder / "sent_starters.txt").write_text(enc.set2txt(params.sent_starters), encoding="utf-8")
    (folder / "abbrev_types.txt").write_text(enc.set2txt(params.abbrev_types), encoding="utf-8")
    (folder / "ortho_context.tab").write_text(enc.ivdict2tab(params.ortho_context), encoding="utf-8")
    return folder


def main() -> None:
    out = Path(sys.argv[1])
    text = Path(sys.argv[2]).read_text(encoding="utf-8") if len(sys.argv) > 2 else "A sentence. Another one here."
    made = {
        "demucsRepo": str(make_demucs(out / "demucs").parent),
        "demucsName": DEMUCS_NAME,
        "wav2vec2": str(make_wav2vec2(out / "wav2vec2")),
        "nltkData": str(make_punkt(out / "nltk_data", text).parents[2]),
    }
    print(json.dumps(made))


if __name__ == "__main__":
    main()
