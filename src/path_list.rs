//! Many paths in one buffer, and merges of path-ordered lists and streams.
//!
//! `graf check` holds every path of a folder at once, twice over: the walk's and the file
//! record's. As `String`s each costs its bytes plus a 24-byte header plus the allocator's
//! rounding, about 80 bytes for a 36-byte path. Packed end to end, a path costs its bytes plus 8.
//! (An ingest holds neither: it merges the walk and the record as streams, with [`Join`].)

use std::convert::Infallible;

/// A list of paths stored end to end, in the order they were pushed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathList {
    text: String,
    /// Where each path ends in `text`.
    ends: Vec<usize>,
}

impl PathList {
    pub fn push(&mut self, path: &str) {
        self.text.push_str(path);
        self.ends.push(self.text.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The path at `index`. Panics when out of range, like slice indexing.
    pub fn get(&self, index: usize) -> &str {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        &self.text[start..self.ends[index]]
    }

    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.len()).map(|index| self.get(index))
    }

    /// Whether every path sorts strictly after the one before it (byte order, no duplicates).
    pub fn is_strictly_sorted(&self) -> bool {
        (1..self.len()).all(|index| self.get(index - 1) < self.get(index))
    }

    /// Where `path` is, in a list that [is strictly sorted](PathList::is_strictly_sorted).
    pub fn binary_search(&self, path: &str) -> Result<usize, usize> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.get(middle).cmp(path) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Ok(middle),
            }
        }
        Err(low)
    }

    /// Gives back the room reserved for paths never pushed.
    pub fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
    }
}

impl<'a> FromIterator<&'a str> for PathList {
    fn from_iter<I: IntoIterator<Item = &'a str>>(paths: I) -> PathList {
        let mut list = PathList::default();
        for path in paths {
            list.push(path);
        }
        list
    }
}

/// Where a path is in two lists sorted alike: only in the first, only in the second, or in
/// both (by position in each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paired {
    Left(usize),
    Right(usize),
    Both(usize, usize),
}

/// Walks two [strictly sorted](PathList::is_strictly_sorted) lists together, as a merge join
/// does: every path of either, once, in order. This is how a walk is compared with a file
/// record, in one pass and without a hash table of either. [`Join`], over positions.
pub fn pair_up<'a>(left: &'a PathList, right: &'a PathList) -> impl Iterator<Item = Paired> + 'a {
    let positions = |list: &'a PathList| {
        (0..list.len()).map(move |index| Ok::<_, Infallible>(At(index, list.get(index))))
    };
    Join::new(positions(left), positions(right)).map(|joined| match joined {
        Ok(Joined::Left(At(left, _))) => Paired::Left(left),
        Ok(Joined::Right(At(right, _))) => Paired::Right(right),
        Ok(Joined::Both(At(left, _), At(right, _))) => Paired::Both(left, right),
        Err(never) => match never {},
    })
}

/// A path and its position in its list.
struct At<'a>(usize, &'a str);

impl HasPath for At<'_> {
    fn path(&self) -> &str {
        self.1
    }
}

/// Something with a path to be joined on (see [`Join`]).
pub trait HasPath {
    fn path(&self) -> &str;
}

impl<T> HasPath for (String, T) {
    fn path(&self) -> &str {
        &self.0
    }
}

/// What [`Join`] gives for a path: the item of the first stream, of the second, or of both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Joined<L, R> {
    Left(L),
    Right(R),
    Both(L, R),
}

/// [`pair_up`] for two streams, each in strict path order, whose items may fail to arrive (read
/// from disk, say): every path of either, once, in order, up to the first error, which ends it.
pub struct Join<L: Iterator, R: Iterator> {
    left: std::iter::Peekable<L>,
    right: std::iter::Peekable<R>,
    failed: bool,
}

impl<A, B, E, L, R> Join<L, R>
where
    L: Iterator<Item = Result<A, E>>,
    R: Iterator<Item = Result<B, E>>,
{
    pub fn new(left: L, right: R) -> Join<L, R> {
        Join { left: left.peekable(), right: right.peekable(), failed: false }
    }
}

impl<A: HasPath, B: HasPath, E, L, R> Iterator for Join<L, R>
where
    L: Iterator<Item = Result<A, E>>,
    R: Iterator<Item = Result<B, E>>,
{
    type Item = Result<Joined<A, B>, E>;

    fn next(&mut self) -> Option<Self::Item> {
        use std::cmp::Ordering::{Equal, Greater, Less};
        if self.failed {
            return None;
        }
        let order = match (self.left.peek(), self.right.peek()) {
            (None, None) => return None,
            (Some(Err(_)), _) | (Some(Ok(_)), None) => Less,
            (_, Some(Err(_))) | (None, Some(Ok(_))) => Greater,
            (Some(Ok(left)), Some(Ok(right))) => left.path().cmp(right.path()),
        };
        let joined = match order {
            Less => self.left.next()?.map(Joined::Left),
            Greater => self.right.next()?.map(Joined::Right),
            Equal => match (self.left.next()?, self.right.next()?) {
                (Ok(left), Ok(right)) => Ok(Joined::Both(left, right)),
                (Err(err), _) | (_, Err(err)) => Err(err),
            },
        };
        self.failed = joined.is_err();
        Some(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_what_was_pushed_and_finds_it() {
        let paths = ["", "a", "a/b.txt", "b", "é/ü.txt"];
        let list: PathList = paths.into_iter().collect();
        assert_eq!(list.len(), paths.len());
        assert_eq!(list.iter().collect::<Vec<_>>(), paths);
        assert!(list.is_strictly_sorted());
        for (index, path) in paths.iter().enumerate() {
            assert_eq!(list.binary_search(path), Ok(index));
        }
        assert_eq!(list.binary_search("a/a"), Err(2));
        assert_eq!(list.binary_search("z"), Err(4), "é sorts after z, as bytes");
        assert_eq!(PathList::default().binary_search("a"), Err(0));
    }

    #[test]
    fn pairs_up_two_sorted_lists() {
        let left: PathList = ["a", "b/c", "d"].into_iter().collect();
        let right: PathList = ["b", "b/c", "e", "f"].into_iter().collect();
        let paired: Vec<Paired> = pair_up(&left, &right).collect();
        use Paired::*;
        assert_eq!(paired, [Left(0), Right(0), Both(1, 1), Left(2), Right(2), Right(3)]);
        assert_eq!(pair_up(&PathList::default(), &right).count(), 4);
        assert_eq!(pair_up(&left, &PathList::default()).collect::<Vec<_>>(), [Left(0), Left(1), Left(2)]);
    }

    #[test]
    fn joins_two_streams_up_to_the_first_error() {
        let entry = |path: &str, n: u32| Ok::<_, String>((path.to_owned(), n));
        let left = vec![entry("a", 1), entry("b/c", 2), entry("d", 3)];
        let right = vec![entry("b", 10), entry("b/c", 20), entry("e", 30)];
        let joined: Vec<_> = Join::new(left.clone().into_iter(), right.into_iter()).collect();
        use Joined::*;
        let owned = |path: &str, n| (path.to_owned(), n);
        assert_eq!(
            joined,
            [
                Ok(Left(owned("a", 1))),
                Ok(Right(owned("b", 10))),
                Ok(Both(owned("b/c", 2), owned("b/c", 20))),
                Ok(Left(owned("d", 3))),
                Ok(Right(owned("e", 30))),
            ]
        );
        let failing = vec![entry("b", 10), Err("disk".to_owned()), entry("z", 30)];
        let joined: Vec<_> = Join::new(left.into_iter(), failing.into_iter()).collect();
        assert_eq!(joined, [Ok(Left(owned("a", 1))), Ok(Right(owned("b", 10))), Err("disk".to_owned())]);
    }

    #[test]
    fn knows_an_unsorted_or_repeated_list() {
        assert!(!["b", "a"].into_iter().collect::<PathList>().is_strictly_sorted());
        assert!(!["a", "a"].into_iter().collect::<PathList>().is_strictly_sorted());
        assert!(PathList::default().is_strictly_sorted());
    }
}
