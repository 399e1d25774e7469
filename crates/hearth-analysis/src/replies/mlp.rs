//! The scoring network: yes/no features → one hidden ReLU layer → a score; trained with Adam
//! on the marginal likelihood of the gold parents among each line's candidates.
//!
//! A vote of several networks (trained alike from different seeds) averages their scores. The
//! average of `k` one-layer networks is itself one network: their hidden units side by side and
//! each output weight divided by `k`. So an ensemble is stored, parsed and scored as one wide
//! network, and costs what its hidden units cost.

use super::features::COUNT;
use std::fmt::Write as _;

/// Hidden units of the widest model (all the voting networks together).
pub const MAX_HIDDEN: usize = 256;

#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    hidden: usize,
    /// `COUNT × hidden`, one row per feature.
    w1: Vec<f32>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: f32,
}

#[derive(Debug, Clone, Copy)]
pub struct TrainOptions {
    pub hidden: usize,
    pub epochs: usize,
    pub learning_rate: f32,
    pub batch: usize,
    pub seed: u64,
    /// Networks in the vote (each from its own seed), scored as one.
    pub nets: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            hidden: 12,
            epochs: 6,
            learning_rate: 0.005,
            batch: 16,
            seed: 0x5eed,
            nets: 2,
        }
    }
}

/// Training examples, flat: example `e` has candidates `cands[e]`, each candidate's features
/// at `feats[start[c]..start[c + 1]]`, and its gold candidates in `gold[e]`.
#[derive(Debug, Default)]
pub struct Examples {
    feats: Vec<u16>,
    start: Vec<u32>,
    cands: Vec<std::ops::Range<u32>>,
    gold: Vec<Vec<u16>>,
}

impl Examples {
    /// Adds one line: its candidates' features and which of them are gold.
    pub fn push(&mut self, candidates: &[Vec<u16>], gold: Vec<u16>) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        let first = (self.start.len() - 1) as u32;
        for c in candidates {
            self.feats.extend_from_slice(c);
            self.start.push(self.feats.len() as u32);
        }
        self.cands.push(first..first + candidates.len() as u32);
        self.gold.push(gold);
    }

    pub fn len(&self) -> usize {
        self.cands.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cands.is_empty()
    }

    fn features(&self, c: u32) -> &[u16] {
        &self.feats[self.start[c as usize] as usize..self.start[c as usize + 1] as usize]
    }
}

/// Deterministic xorshift, so training is repeatable.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn uniform(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Index of the largest score and its softmax probability.
pub fn argmax_softmax(scores: &[f32]) -> (usize, f32) {
    let mut best = 0;
    for (k, s) in scores.iter().enumerate() {
        if *s > scores[best] {
            best = k;
        }
    }
    let max = scores[best];
    let sum: f32 = scores.iter().map(|s| (s - max).exp()).sum();
    (best, 1.0 / sum)
}

impl Model {
    fn hidden_of(&self, feats: &[u16], h: &mut [f32]) {
        h.copy_from_slice(&self.b1);
        for &f in feats {
            let row = &self.w1[f as usize * self.hidden..(f as usize + 1) * self.hidden];
            for (x, w) in h.iter_mut().zip(row) {
                *x += w;
            }
        }
    }

    /// The score of one candidate from its active features.
    pub fn score(&self, feats: &[u16]) -> f32 {
        // A small model (the shipped one) keeps its hidden layer in a small stack buffer:
        // this runs 64 times a line.
        if self.hidden <= 32 {
            let mut h = [0f32; 32];
            self.score_in(feats, &mut h[..self.hidden])
        } else {
            let mut h = [0f32; MAX_HIDDEN];
            self.score_in(feats, &mut h[..self.hidden])
        }
    }

    /// Hidden units of the model (all voting networks together).
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// The first layer's sum over `feats` alone (no bias), into `out` (`hidden()` long): a
    /// part of a candidate's features that is the same wherever it is a candidate.
    pub fn partial(&self, feats: impl Iterator<Item = u16>, out: &mut [f32]) {
        out.iter_mut().for_each(|x| *x = 0.0);
        for f in feats {
            let row = &self.w1[f as usize * self.hidden..(f as usize + 1) * self.hidden];
            for (x, w) in out.iter_mut().zip(row) {
                *x += w;
            }
        }
    }

    /// The score of a candidate from its active features plus a [`Model::partial`] sum.
    pub fn score_with(&self, feats: &[u16], partial: &[f32]) -> f32 {
        if self.hidden <= 32 {
            let mut h = [0f32; 32];
            let h = &mut h[..self.hidden];
            h.copy_from_slice(partial);
            self.score_from(feats, h)
        } else {
            let mut h = [0f32; MAX_HIDDEN];
            let h = &mut h[..self.hidden];
            h.copy_from_slice(partial);
            self.score_from(feats, h)
        }
    }

    /// Adds the bias and `feats`' rows to `h` (holding a partial sum), then scores.
    fn score_from(&self, feats: &[u16], h: &mut [f32]) -> f32 {
        for (x, b) in h.iter_mut().zip(&self.b1) {
            *x += b;
        }
        for &f in feats {
            let row = &self.w1[f as usize * self.hidden..(f as usize + 1) * self.hidden];
            for (x, w) in h.iter_mut().zip(row) {
                *x += w;
            }
        }
        self.b2
            + h.iter()
                .zip(&self.w2)
                .map(|(x, w)| x.max(0.0) * w)
                .sum::<f32>()
    }

    fn score_in(&self, feats: &[u16], h: &mut [f32]) -> f32 {
        self.hidden_of(feats, h);
        self.b2
            + h.iter()
                .zip(&self.w2)
                .map(|(x, w)| x.max(0.0) * w)
                .sum::<f32>()
    }

    /// Trains `options.nets` networks, each from its own seed (two at a time), and joins them
    /// into one: the same data and options give the same model, byte for byte.
    pub fn train(examples: &Examples, options: TrainOptions) -> Model {
        let nets = options
            .nets
            .clamp(1, MAX_HIDDEN / options.hidden.clamp(1, MAX_HIDDEN));
        let seeds: Vec<u64> = (0..nets as u64)
            .map(|k| {
                options
                    .seed
                    .wrapping_add(k.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            })
            .collect();
        let trained: Vec<Model> = std::thread::scope(|scope| {
            let handles: Vec<_> = seeds
                .chunks(nets.div_ceil(2).max(1))
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|&seed| {
                                Model::train_one(examples, TrainOptions { seed, ..options })
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        Model::join(&trained)
    }

    /// One network whose score is the mean of the networks' scores.
    fn join(nets: &[Model]) -> Model {
        let k = nets.len().max(1) as f32;
        let hidden: usize = nets.iter().map(|n| n.hidden).sum();
        let mut w1 = Vec::with_capacity(COUNT * hidden);
        for f in 0..COUNT {
            for n in nets {
                w1.extend_from_slice(&n.w1[f * n.hidden..(f + 1) * n.hidden]);
            }
        }
        Model {
            hidden,
            w1,
            b1: nets.iter().flat_map(|n| n.b1.iter().copied()).collect(),
            w2: nets
                .iter()
                .flat_map(|n| n.w2.iter().map(|w| w / k))
                .collect(),
            b2: nets.iter().map(|n| n.b2).sum::<f32>() / k,
        }
    }

    fn train_one(examples: &Examples, options: TrainOptions) -> Model {
        let hidden = options.hidden.clamp(1, MAX_HIDDEN);
        let mut rng = Rng(options.seed | 1);
        let mut init = |n: usize, scale: f32| -> Vec<f32> {
            (0..n)
                .map(|_| (rng.uniform() * 2.0 - 1.0) * scale)
                .collect()
        };
        let mut model = Model {
            hidden,
            w1: init(COUNT * hidden, 0.3),
            b1: vec![0.1; hidden],
            w2: init(hidden, 0.3),
            b2: 0.0,
        };
        let params = COUNT * hidden + 2 * hidden + 1;
        let (mut m, mut v) = (vec![0f32; params], vec![0f32; params]);
        let mut grad = vec![0f32; params];
        let mut step = 0i32;
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let (b1_at, w2_at, b2_at) = (COUNT * hidden, COUNT * hidden + hidden, params - 1);
        let mut hs: Vec<f32> = Vec::new();
        let mut scores: Vec<f32> = Vec::new();
        let total_steps =
            (options.epochs * examples.len().div_ceil(options.batch.max(1))).max(1) as i32;
        for _epoch in 0..options.epochs {
            for k in (1..order.len()).rev() {
                let j = (rng.next() % (k as u64 + 1)) as usize;
                order.swap(k, j);
            }
            for batch in order.chunks(options.batch.max(1)) {
                grad.iter_mut().for_each(|g| *g = 0.0);
                for &e in batch {
                    let range = examples.cands[e].clone();
                    let n = range.len();
                    hs.resize(n * hidden, 0.0);
                    scores.clear();
                    for (k, c) in range.clone().enumerate() {
                        let h = &mut hs[k * hidden..(k + 1) * hidden];
                        model.hidden_of(examples.features(c), h);
                        scores.push(
                            model.b2
                                + h.iter()
                                    .zip(&model.w2)
                                    .map(|(x, w)| x.max(0.0) * w)
                                    .sum::<f32>(),
                        );
                    }
                    let max = scores.iter().copied().fold(f32::MIN, f32::max);
                    let mut p: Vec<f32> = scores.iter().map(|s| (s - max).exp()).collect();
                    let z: f32 = p.iter().sum();
                    p.iter_mut().for_each(|x| *x /= z);
                    let gold = &examples.gold[e];
                    let zg: f32 = gold.iter().map(|&g| p[g as usize]).sum();
                    if zg <= 0.0 {
                        continue;
                    }
                    for (k, c) in range.enumerate() {
                        let q = if gold.contains(&(k as u16)) {
                            p[k] / zg
                        } else {
                            0.0
                        };
                        let g = p[k] - q;
                        if g == 0.0 {
                            continue;
                        }
                        grad[b2_at] += g;
                        let h = &hs[k * hidden..(k + 1) * hidden];
                        for u in 0..hidden {
                            if h[u] > 0.0 {
                                grad[w2_at + u] += g * h[u];
                                let dh = g * model.w2[u];
                                grad[b1_at + u] += dh;
                                for &f in examples.features(c) {
                                    grad[f as usize * hidden + u] += dh;
                                }
                            }
                        }
                    }
                }
                // Adam
                step += 1;
                let (beta1, beta2, eps) = (0.9f32, 0.999f32, 1e-8f32);
                // The rate falls linearly to a tenth over the training.
                let done = step as f32 / total_steps as f32;
                let lr =
                    options.learning_rate * (1.0 - 0.9 * done) * (1.0 - beta2.powi(step)).sqrt()
                        / (1.0 - beta1.powi(step));
                let scale = 1.0 / batch.len() as f32;
                for k in 0..params {
                    let g = grad[k] * scale;
                    m[k] = beta1 * m[k] + (1.0 - beta1) * g;
                    v[k] = beta2 * v[k] + (1.0 - beta2) * g * g;
                    let delta = lr * m[k] / (v[k].sqrt() + eps);
                    if k < b1_at {
                        model.w1[k] -= delta;
                    } else if k < w2_at {
                        model.b1[k - b1_at] -= delta;
                    } else if k < b2_at {
                        model.w2[k - w2_at] -= delta;
                    } else {
                        model.b2 -= delta;
                    }
                }
            }
        }
        model
    }

    /// The text form shipped in the binary.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "hearth-reply-model 1\nfeatures {COUNT}\nhidden {}\n",
            self.hidden
        );
        let mut row = |name: &str, values: &[f32]| {
            let _ = write!(s, "{name}");
            for v in values {
                let _ = write!(s, " {v:.6}");
            }
            s.push('\n');
        };
        for f in 0..COUNT {
            let name = super::features::name(f);
            row(&name, &self.w1[f * self.hidden..(f + 1) * self.hidden]);
        }
        row("b1", &self.b1);
        row("w2", &self.w2);
        row("b2", &[self.b2]);
        s
    }

    pub fn parse(text: &str) -> Result<Model, String> {
        let mut lines = text.lines();
        if lines.next() != Some("hearth-reply-model 1") {
            return Err("expected `hearth-reply-model 1`".into());
        }
        let num = |line: Option<&str>, key: &str| -> Result<usize, String> {
            line.and_then(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| format!("expected `{key} N`"))
        };
        let features = num(lines.next(), "features")?;
        if features != COUNT {
            return Err(format!("model has {features} features, code has {COUNT}"));
        }
        let hidden = num(lines.next(), "hidden")?;
        if !(1..=MAX_HIDDEN).contains(&hidden) {
            return Err(format!("hidden must be 1..={MAX_HIDDEN}"));
        }
        let mut values = |want: usize| -> Result<Vec<f32>, String> {
            let line = lines.next().ok_or("model file ends early")?;
            let v: Vec<f32> = line
                .split_whitespace()
                .skip(1)
                .map(str::parse)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("{e} in `{line}`"))?;
            if v.len() != want {
                return Err(format!("expected {want} numbers in `{line}`"));
            }
            Ok(v)
        };
        let mut w1 = Vec::with_capacity(COUNT * hidden);
        for _ in 0..COUNT {
            w1.extend(values(hidden)?);
        }
        let b1 = values(hidden)?;
        let w2 = values(hidden)?;
        let b2 = values(1)?[0];
        Ok(Model {
            hidden,
            w1,
            b1,
            w2,
            b2,
        })
    }
}
