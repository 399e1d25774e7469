//! Open exports: tables of typed columns written as Parquet, CSV or JSON lines.
//!
//! The caller (the CLI) fills [`Table`]s from the store and the analysis; this module only
//! writes them. Parquet files use the plain Parquet types (INT64, DOUBLE, BYTE_ARRAY with the
//! UTF8 annotation), optional columns where a value can be missing, one row group per
//! [`ROW_GROUP`] rows, zstd-compressed pages: DuckDB, pandas/pyarrow and Spark read them as they are.
//! The schema of each table is in `docs/export.md`.

use parquet::basic::{Compression, ZstdLevel};
use parquet::basic::{ConvertedType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::Type;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// Rows a Parquet row group holds.
pub const ROW_GROUP: usize = 100_000;

/// One column's values; `None` is a missing value.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
}

impl ColumnData {
    pub fn len(&self) -> usize {
        match self {
            ColumnData::Int(v) => v.len(),
            ColumnData::Float(v) => v.len(),
            ColumnData::Text(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn json(&self, row: usize) -> serde_json::Value {
        match self {
            ColumnData::Int(v) => v[row].map_or(serde_json::Value::Null, Into::into),
            ColumnData::Float(v) => v[row].map_or(serde_json::Value::Null, Into::into),
            ColumnData::Text(v) => v[row]
                .as_ref()
                .map_or(serde_json::Value::Null, |s| s.as_str().into()),
        }
    }

    fn csv(&self, row: usize) -> String {
        match self {
            ColumnData::Int(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            ColumnData::Float(v) => v[row].map(|x| x.to_string()).unwrap_or_default(),
            ColumnData::Text(v) => v[row].as_deref().map(spreadsheet_safe).unwrap_or_default(),
        }
    }
}

/// A text cell a spreadsheet will not run: one that begins with `=`, `+`, `-`, `@`, a tab or
/// a carriage return gets a leading `'` (OWASP's rule against CSV formula injection). Only
/// CSV cells are changed; JSON lines and Parquet keep the text exactly.
pub fn spreadsheet_safe(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_owned(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    /// Whether values may be missing (Parquet OPTIONAL).
    pub nullable: bool,
    pub data: ColumnData,
}

/// A table: columns of equal length.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
}

impl Table {
    pub fn new(name: &str) -> Table {
        Table {
            name: name.to_owned(),
            columns: Vec::new(),
        }
    }

    pub fn int(mut self, name: &str, nullable: bool, v: Vec<Option<i64>>) -> Table {
        self.columns.push(Column {
            name: name.into(),
            nullable,
            data: ColumnData::Int(v),
        });
        self
    }

    pub fn float(mut self, name: &str, nullable: bool, v: Vec<Option<f64>>) -> Table {
        self.columns.push(Column {
            name: name.into(),
            nullable,
            data: ColumnData::Float(v),
        });
        self
    }

    pub fn text(mut self, name: &str, nullable: bool, v: Vec<Option<String>>) -> Table {
        self.columns.push(Column {
            name: name.into(),
            nullable,
            data: ColumnData::Text(v),
        });
        self
    }

    /// `f(self)`: a group of columns added by a function, in the middle of a chain.
    pub fn apply(self, f: impl FnOnce(Table) -> Table) -> Table {
        f(self)
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.data.len())
    }
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Parquet,
    Csv,
    Jsonl,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Parquet => "parquet",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("writing {path}: {message}")]
    Format {
        path: std::path::PathBuf,
        message: String,
    },
    #[error("table {0}: columns of different lengths")]
    Ragged(String),
}

/// Writes `table` into `dir` as `<name>.<ext>`; returns the file written.
pub fn write(table: &Table, dir: &Path, format: Format) -> Result<std::path::PathBuf, ExportError> {
    let n = table.rows();
    if table.columns.iter().any(|c| c.data.len() != n) {
        return Err(ExportError::Ragged(table.name.clone()));
    }
    let path = dir.join(format!("{}.{}", table.name, format.extension()));
    // Written under a temporary name and renamed when complete: a kill or a full disk never
    // leaves a truncated file under the final name.
    let tmp = dir.join(format!(".{}.{}.tmp", table.name, format.extension()));
    let written = write_to(table, &tmp, format, n);
    match written.and_then(|()| {
        std::fs::rename(&tmp, &path).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })
    }) {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_to(table: &Table, path: &Path, format: Format, n: usize) -> Result<(), ExportError> {
    let path = path.to_path_buf();
    let io = |source| ExportError::Io {
        path: path.clone(),
        source,
    };
    let file = std::fs::File::create(&path).map_err(io)?;
    match format {
        Format::Jsonl => {
            let mut out = std::io::BufWriter::new(file);
            for row in 0..n {
                let mut obj = serde_json::Map::new();
                for c in &table.columns {
                    obj.insert(c.name.clone(), c.data.json(row));
                }
                serde_json::to_writer(&mut out, &obj).map_err(|e| io(e.into()))?;
                out.write_all(b"\n").map_err(io)?;
            }
            out.flush().map_err(io)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
            let fmt = |e: csv::Error| ExportError::Format {
                path: path.clone(),
                message: e.to_string(),
            };
            w.write_record(table.columns.iter().map(|c| c.name.as_str()))
                .map_err(fmt)?;
            for row in 0..n {
                w.write_record(table.columns.iter().map(|c| c.data.csv(row)))
                    .map_err(fmt)?;
            }
            w.flush().map_err(io)?;
        }
        Format::Parquet => write_parquet(table, file).map_err(|e| ExportError::Format {
            path: path.clone(),
            message: e.to_string(),
        })?,
    }
    Ok(())
}

fn schema(table: &Table) -> parquet::errors::Result<Type> {
    let mut fields = Vec::new();
    for c in &table.columns {
        let repetition = if c.nullable {
            Repetition::OPTIONAL
        } else {
            Repetition::REQUIRED
        };
        let builder = match c.data {
            ColumnData::Int(_) => Type::primitive_type_builder(&c.name, PhysicalType::INT64),
            ColumnData::Float(_) => Type::primitive_type_builder(&c.name, PhysicalType::DOUBLE),
            ColumnData::Text(_) => Type::primitive_type_builder(&c.name, PhysicalType::BYTE_ARRAY)
                .with_converted_type(ConvertedType::UTF8),
        };
        fields.push(Arc::new(builder.with_repetition(repetition).build()?));
    }
    Type::group_type_builder("schema")
        .with_fields(fields)
        .build()
}

/// Values and definition levels (1 present, 0 missing) of one chunk of an optional column.
fn split<T: Clone>(values: &[Option<T>]) -> (Vec<T>, Vec<i16>, bool) {
    let mut present = Vec::with_capacity(values.len());
    let mut levels = Vec::with_capacity(values.len());
    let mut any_missing = false;
    for v in values {
        match v {
            Some(x) => {
                present.push(x.clone());
                levels.push(1);
            }
            None => {
                levels.push(0);
                any_missing = true;
            }
        }
    }
    (present, levels, any_missing)
}

fn props() -> parquet::errors::Result<Arc<WriterProperties>> {
    // zstd level 3: text columns shrink ~4x; every Parquet reader of the last years decodes it.
    let level = ZstdLevel::try_new(3)?;
    Ok(Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::ZSTD(level))
            .build(),
    ))
}

fn write_parquet(table: &Table, file: std::fs::File) -> parquet::errors::Result<()> {
    let mut writer = SerializedFileWriter::new(file, Arc::new(schema(table)?), props()?)?;
    let n = table.rows();
    let mut start = 0;
    loop {
        let end = (start + ROW_GROUP).min(n);
        write_group(&mut writer, table, start, end)?;
        start = end;
        if start >= n {
            break;
        }
    }
    writer.close()?;
    Ok(())
}

/// Writes rows `start..end` of `table` as one row group.
fn write_group<W: Write + Send>(
    writer: &mut SerializedFileWriter<W>,
    table: &Table,
    start: usize,
    end: usize,
) -> parquet::errors::Result<()> {
    let mut group = writer.next_row_group()?;
    for c in &table.columns {
        let Some(mut col) = group.next_column()? else {
            break;
        };
        let def = |levels: &[i16], missing: bool| {
            if !c.nullable && missing {
                return Err(parquet::errors::ParquetError::General(format!(
                    "column {} is required but has missing values",
                    c.name
                )));
            }
            Ok(c.nullable.then(|| levels.to_vec()))
        };
        match &c.data {
            ColumnData::Int(v) => {
                let (vals, levels, missing) = split(&v[start..end]);
                col.typed::<Int64Type>().write_batch(
                    &vals,
                    def(&levels, missing)?.as_deref(),
                    None,
                )?;
            }
            ColumnData::Float(v) => {
                let (vals, levels, missing) = split(&v[start..end]);
                col.typed::<DoubleType>().write_batch(
                    &vals,
                    def(&levels, missing)?.as_deref(),
                    None,
                )?;
            }
            ColumnData::Text(v) => {
                let (vals, levels, missing) = split(&v[start..end]);
                let bytes: Vec<ByteArray> = vals
                    .into_iter()
                    .map(|s| ByteArray::from(s.into_bytes()))
                    .collect();
                col.typed::<ByteArrayType>().write_batch(
                    &bytes,
                    def(&levels, missing)?.as_deref(),
                    None,
                )?;
            }
        }
        col.close()?;
    }
    group.close()?;
    Ok(())
}

/// A Parquet file written one row group at a time, so memory holds one group whatever the
/// file's size. Written under a temporary name (`.NAME.tmp`, which Spark, Hive and pyarrow
/// skip) and renamed by [`ParquetFile::finish`]: a kill never leaves a truncated file under
/// the final name.
pub struct ParquetFile {
    writer: SerializedFileWriter<std::fs::File>,
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    rows: usize,
}

impl std::fmt::Debug for ParquetFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParquetFile")
            .field("path", &self.path)
            .field("rows", &self.rows)
            .finish()
    }
}

impl ParquetFile {
    /// Creates `path` with the columns (names, types, nullability) of `like`.
    pub fn create(path: &Path, like: &Table) -> Result<ParquetFile, ExportError> {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.tmp"));
        let file = std::fs::File::create(&tmp).map_err(|source| ExportError::Io {
            path: tmp.clone(),
            source,
        })?;
        let fmt = |e: parquet::errors::ParquetError| ExportError::Format {
            path: path.to_path_buf(),
            message: e.to_string(),
        };
        let writer = SerializedFileWriter::new(
            file,
            Arc::new(schema(like).map_err(fmt)?),
            props().map_err(fmt)?,
        )
        .map_err(fmt)?;
        Ok(ParquetFile {
            writer,
            path: path.to_path_buf(),
            tmp,
            rows: 0,
        })
    }

    /// Appends `group` (the columns given to [`ParquetFile::create`], in that order) as one
    /// or more row groups of at most [`ROW_GROUP`] rows.
    pub fn write(&mut self, group: &Table) -> Result<(), ExportError> {
        let n = group.rows();
        if group.columns.iter().any(|c| c.data.len() != n) {
            return Err(ExportError::Ragged(group.name.clone()));
        }
        let mut start = 0;
        while start < n {
            let end = (start + ROW_GROUP).min(n);
            write_group(&mut self.writer, group, start, end).map_err(|e| ExportError::Format {
                path: self.path.clone(),
                message: e.to_string(),
            })?;
            start = end;
        }
        self.rows += n;
        Ok(())
    }

    /// Closes the file and gives it its final name; returns the rows written.
    pub fn finish(self) -> Result<usize, ExportError> {
        let ParquetFile {
            writer,
            path,
            tmp,
            rows,
        } = self;
        let closed = writer
            .into_inner()
            .map_err(|e| ExportError::Format {
                path: path.clone(),
                message: e.to_string(),
            })
            .and_then(|file| {
                file.sync_all().map_err(|source| ExportError::Io {
                    path: tmp.clone(),
                    source,
                })
            })
            .and_then(|()| {
                std::fs::rename(&tmp, &path).map_err(|source| ExportError::Io {
                    path: path.clone(),
                    source,
                })
            });
        if closed.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        closed.map(|()| rows)
    }
}

impl Table {
    /// A digest of the table's columns (names, kinds, nullability) and every value, the same
    /// for the same content on every machine and every run: an incremental export compares it
    /// with the one it wrote last time to tell a changed partition from an unchanged one.
    pub fn digest_into(&self, hasher: &mut sha2::Sha256) {
        use sha2::Digest as _;
        let mut put = |bytes: &[u8]| {
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
        };
        for c in &self.columns {
            put(c.name.as_bytes());
            put(&[u8::from(c.nullable)]);
            match &c.data {
                ColumnData::Int(v) => {
                    put(b"int");
                    for x in v {
                        match x {
                            Some(x) => put(&x.to_le_bytes()),
                            None => put(&[]),
                        }
                    }
                }
                ColumnData::Float(v) => {
                    put(b"float");
                    for x in v {
                        match x {
                            Some(x) => put(&x.to_bits().to_le_bytes()),
                            None => put(&[]),
                        }
                    }
                }
                ColumnData::Text(v) => {
                    put(b"text");
                    for x in v {
                        match x {
                            // A present empty text differs from a missing one.
                            Some(x) => {
                                put(&[1]);
                                put(x.as_bytes());
                            }
                            None => put(&[0]),
                        }
                    }
                }
            }
        }
    }

    /// The Parquet schema of the table's columns, as `(name, kind, nullable)` with kind
    /// `int64`, `double` or `string`: what a manifest lists.
    pub fn schema_summary(&self) -> Vec<(String, &'static str, bool)> {
        self.columns
            .iter()
            .map(|c| {
                let kind = match c.data {
                    ColumnData::Int(_) => "int64",
                    ColumnData::Float(_) => "double",
                    ColumnData::Text(_) => "string",
                };
                (c.name.clone(), kind, c.nullable)
            })
            .collect()
    }
}
