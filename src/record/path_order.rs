//! Path order: the one order of the file record, the walk and an ingest's journal (paths
//! compared bytewise), and merging two streams in it ([`by_path`]), which is how a walk is
//! compared with a record, a record with its changes, and an index with its record.

use std::cmp::Ordering;

use itertools::{EitherOrBoth, Itertools};

/// Something with a path, to be merged with others by it (see [`by_path`]).
pub trait HasPath {
    fn path(&self) -> &str;
}

impl<T> HasPath for (String, T) {
    fn path(&self) -> &str {
        &self.0
    }
}

/// Merges two streams, each in strict path order, whose items may fail to arrive (read from disk,
/// say): every path of either, once, in order, paired when both have it, up to the first error,
/// which ends it.
pub fn by_path<A, B, E>(
    left: impl Iterator<Item = Result<A, E>>,
    right: impl Iterator<Item = Result<B, E>>,
) -> impl Iterator<Item = Result<EitherOrBoth<A, B>, E>>
where
    A: HasPath,
    B: HasPath,
{
    left.merge_join_by(right, |left, right| match (left, right) {
        (Ok(left), Ok(right)) => left.path().cmp(right.path()),
        // An error comes out as soon as it is first in line.
        (Err(_), _) => Ordering::Less,
        (_, Err(_)) => Ordering::Greater,
    })
    .map(|merged| match merged {
        EitherOrBoth::Left(left) => left.map(EitherOrBoth::Left),
        EitherOrBoth::Right(right) => right.map(EitherOrBoth::Right),
        EitherOrBoth::Both(left, right) => Ok(EitherOrBoth::Both(left?, right?)),
    })
    .scan(false, |failed, merged| {
        if *failed {
            return None;
        }
        *failed = merged.is_err();
        Some(merged)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(paths: &[&str]) -> Vec<Result<(String, ()), &'static str>> {
        paths.iter().map(|path| Ok((path.to_string(), ()))).collect()
    }

    type Merged = Result<EitherOrBoth<(String, ()), (String, ())>, &'static str>;

    fn shown(merged: Merged) -> String {
        match merged {
            Ok(EitherOrBoth::Left((path, ()))) => format!("<{path}"),
            Ok(EitherOrBoth::Right((path, ()))) => format!(">{path}"),
            Ok(EitherOrBoth::Both((path, ()), _)) => format!("={path}"),
            Err(err) => format!("!{err}"),
        }
    }

    #[test]
    fn merges_two_streams_by_path() {
        let merged: Vec<String> =
            by_path(ok(&["a", "b/c", "d"]).into_iter(), ok(&["b", "b/c", "e"]).into_iter())
                .map(shown)
                .collect();
        assert_eq!(merged, ["<a", ">b", "=b/c", "<d", ">e"]);
    }

    #[test]
    fn merges_up_to_the_first_error() {
        let mut left = ok(&["a", "c"]);
        left.insert(1, Err("damaged"));
        let merged: Vec<String> = by_path(left.into_iter(), ok(&["b", "d"]).into_iter()).map(shown).collect();
        assert_eq!(merged, ["<a", "!damaged"]);
    }
}
