#!/usr/bin/python3
"""Trains the default product embedder and exports it to ONNX.

    /usr/bin/python3 models/train/train.py DATA_DIR OUT.onnx

DATA_DIR is what dataset.ts wrote. Debian's python3-torch (1.13), one
thread, a few minutes: the cart's build machines are small and shared.

The net is a small convolutional embedder: a crop goes in, a 32-number
vector of unit length comes out. It is trained as a cosine classifier over
the training products with an additive margin (CosFace), which pulls views
of one product together and pushes products apart on the unit sphere; the
classifier is then thrown away. On the cart a crop is matched against
reference embeddings of the store's own products, so the model need not
know them beforehand.
"""
import json
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

EMBEDDING = 32
SCALE = 16.0   # logits are cosines times this; the cart's softmax temperature is 1 / SCALE
MARGIN = 0.2
EPOCHS = 10
BATCH = 128
SEED = 7


class Embedder(nn.Module):
    def __init__(self):
        super().__init__()
        def block(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))
        self.features = nn.Sequential(
            block(3, 16), nn.MaxPool2d(2),    # 48 -> 24
            block(16, 32), nn.MaxPool2d(2),   # 24 -> 12
            block(32, 64), nn.MaxPool2d(2),   # 12 -> 6
            block(64, 96),
        )
        self.head = nn.Linear(96, EMBEDDING)

    def forward(self, x):
        x = self.features(x)
        x = torch.flatten(F.adaptive_avg_pool2d(x, 1), 1)
        return F.normalize(self.head(x), dim=1)


def load(data_dir):
    meta = json.load(open(f'{data_dir}/meta.json'))
    size = meta['size']
    crops = np.fromfile(f'{data_dir}/train.u8', dtype=np.uint8).reshape(-1, size, size, 3)
    labels = np.fromfile(f'{data_dir}/train.labels', dtype=np.int32)
    # As the cart does it (firmware/vision/preprocess.ts normalise): HWC bytes to CHW, (x / 255 - mean) / std.
    mean = np.array(meta['mean'], dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.array(meta['std'], dtype=np.float32).reshape(1, 3, 1, 1)
    x = (crops.transpose(0, 3, 1, 2).astype(np.float32) / 255.0 - mean) / std
    return meta, torch.from_numpy(x), torch.from_numpy(labels.astype(np.int64))


def main(data_dir, out_path):
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    meta, x, y = load(data_dir)
    n = len(y)
    model = Embedder()
    classes = nn.Parameter(F.normalize(torch.randn(meta['products'], EMBEDDING), dim=1))
    opt = torch.optim.Adam(list(model.parameters()) + [classes], lr=3e-3)
    steps = EPOCHS * ((n + BATCH - 1) // BATCH)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    started = time.time()
    for epoch in range(EPOCHS):
        model.train()
        order = torch.randperm(n)
        total, right = 0.0, 0
        for i in range(0, n, BATCH):
            idx = order[i:i + BATCH]
            xb, yb = x[idx], y[idx]
            # A pack seen from above may lie either way up: mirror half the batch.
            flip = torch.rand(len(idx)) < 0.5
            xb = torch.where(flip.view(-1, 1, 1, 1), xb.flip(3), xb)
            cos = model(xb) @ F.normalize(classes, dim=1).t()
            logits = SCALE * (cos - MARGIN * F.one_hot(yb, cos.shape[1]))
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            right += (cos.argmax(1) == yb).sum().item()
        print(f'epoch {epoch + 1}/{EPOCHS}: loss {total / n:.3f}, train top-1 {right / n:.3f}, {time.time() - started:.0f} s', flush=True)
    model.eval()
    size = meta['size']
    torch.onnx.export(
        model, torch.zeros(1, 3, size, size), out_path,
        input_names=['image'], output_names=['embedding'],
        dynamic_axes={'image': {0: 'batch'}, 'embedding': {0: 'batch'}},
        opset_version=13, do_constant_folding=True)
    json.dump({'temperature': 1.0 / SCALE, 'epochs': EPOCHS, 'trainSeconds': round(time.time() - started)},
              open(f'{data_dir}/training.json', 'w'))
    print(f'wrote {out_path}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
