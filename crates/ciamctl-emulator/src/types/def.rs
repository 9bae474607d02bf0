//! The shape of the type table: types, properties, enums, and the `const` builders the table
//! is written with.

use crate::request::ApiVersion;

/// The Graph versions a type, property or enum exists in (REFERENCE.md §14).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Avail {
    Both,
    /// In the v1.0 CSDL only.
    V1,
    /// In the beta CSDL only.
    Beta,
}

impl Avail {
    pub(crate) fn includes(self, version: ApiVersion) -> bool {
        match self {
            Avail::Both => true,
            Avail::V1 => version == ApiVersion::V1,
            Avail::Beta => version == ApiVersion::Beta,
        }
    }
}

/// The Edm primitive types the table uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edm {
    String,
    Boolean,
    Int32,
    DateTimeOffset,
    /// Binary content read and written at its own URL, never inside a JSON body.
    Stream,
}

impl Edm {
    /// The CSDL name, `Edm.String`.
    pub(crate) fn csdl_name(self) -> &'static str {
        match self {
            Edm::String => "Edm.String",
            Edm::Boolean => "Edm.Boolean",
            Edm::Int32 => "Edm.Int32",
            Edm::DateTimeOffset => "Edm.DateTimeOffset",
            Edm::Stream => "Edm.Stream",
        }
    }
}

/// A property's type, without its collection-ness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Edm(Edm),
    Enum(&'static str),
    Complex(&'static str),
    /// An entity type: the target of a navigation property.
    Entity(&'static str),
    /// A type the contract's CSDL fragments name without defining; values are not checked.
    Opaque(&'static str),
}

impl Ty {
    pub(crate) const STREAM: Ty = Ty::Edm(Edm::Stream);

    /// The type's name as the CSDL writes it, without namespace for Graph types:
    /// `Edm.String`, `customExtensionClientConfiguration`.
    pub fn name(self) -> &'static str {
        match self {
            Ty::Edm(edm) => edm.csdl_name(),
            Ty::Enum(name) | Ty::Complex(name) | Ty::Entity(name) | Ty::Opaque(name) => name,
        }
    }
}

pub(super) const STRING: Ty = Ty::Edm(Edm::String);
pub(super) const BOOL: Ty = Ty::Edm(Edm::Boolean);
pub(super) const INT32: Ty = Ty::Edm(Edm::Int32);
pub(super) const DATE_TIME: Ty = Ty::Edm(Edm::DateTimeOffset);

/// How a property holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropKind {
    /// A structural property: a primitive, enum or complex value.
    Structural,
    /// A navigation property whose targets live elsewhere; a request names them by `id`.
    Reference,
    /// A navigation property whose targets are contained in the owner (`includeApplications`).
    Contained,
}

/// One declared property.
#[derive(Debug, Clone, Copy)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    pub kind: PropKind,
    pub collection: bool,
    pub nullable: bool,
    /// Set by the service; a request body may not carry it.
    pub read_only: bool,
    pub avail: Avail,
}

/// A structural property of type `ty`.
pub(super) const fn prop(name: &'static str, ty: Ty) -> Prop {
    Prop {
        name,
        ty,
        kind: PropKind::Structural,
        collection: false,
        nullable: true,
        read_only: false,
        avail: Avail::Both,
    }
}

/// A navigation property to entities that live elsewhere.
pub(super) const fn nav(name: &'static str, target: &'static str) -> Prop {
    Prop {
        kind: PropKind::Reference,
        ..prop(name, Ty::Entity(target))
    }
}

/// A navigation property to entities contained in the owner.
pub(super) const fn contained(name: &'static str, target: &'static str) -> Prop {
    Prop {
        kind: PropKind::Contained,
        ..prop(name, Ty::Entity(target))
    }
}

impl Prop {
    #[must_use]
    pub(crate) const fn many(self) -> Self {
        Self {
            collection: true,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn not_null(self) -> Self {
        Self {
            nullable: false,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn read_only(self) -> Self {
        Self {
            read_only: true,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn beta(self) -> Self {
        Self {
            avail: Avail::Beta,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn v1(self) -> Self {
        Self {
            avail: Avail::V1,
            ..self
        }
    }
}

/// Entity or complex type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    Entity,
    Complex,
}

/// One structured type.
#[derive(Debug, Clone, Copy)]
pub struct TypeDef {
    pub name: &'static str,
    pub kind: TypeKind,
    pub base: Option<&'static str>,
    pub is_abstract: bool,
    /// An open type accepts properties it does not declare (they are kept as dynamic
    /// properties).
    pub open: bool,
    /// The service assigns the `id` of this type and of every type derived from it, so a
    /// create body may not carry one.
    pub service_keyed: bool,
    pub avail: Avail,
    /// The properties this type declares itself (not the inherited ones).
    pub props: &'static [Prop],
}

const fn structured(name: &'static str, kind: TypeKind, base: Option<&'static str>) -> TypeDef {
    TypeDef {
        name,
        kind,
        base,
        is_abstract: false,
        open: false,
        service_keyed: false,
        avail: Avail::Both,
        props: &[],
    }
}

pub(super) const fn entity(name: &'static str, base: Option<&'static str>) -> TypeDef {
    structured(name, TypeKind::Entity, base)
}

pub(super) const fn complex(name: &'static str, base: Option<&'static str>) -> TypeDef {
    structured(name, TypeKind::Complex, base)
}

impl TypeDef {
    #[must_use]
    pub(crate) const fn abstract_(self) -> Self {
        Self {
            is_abstract: true,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn open(self) -> Self {
        Self { open: true, ..self }
    }

    #[must_use]
    pub(crate) const fn service_keyed(self) -> Self {
        Self {
            service_keyed: true,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn beta(self) -> Self {
        Self {
            avail: Avail::Beta,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn props(self, props: &'static [Prop]) -> Self {
        Self { props, ..self }
    }
}

/// One enum type.
#[derive(Debug, Clone, Copy)]
pub struct EnumDef {
    pub name: &'static str,
    /// A flags enum's value is a comma-separated list of members.
    pub flags: bool,
    pub members: &'static [&'static str],
    pub avail: Avail,
}

pub(super) const fn enumeration(name: &'static str, members: &'static [&'static str]) -> EnumDef {
    EnumDef {
        name,
        flags: false,
        members,
        avail: Avail::Both,
    }
}

impl EnumDef {
    #[must_use]
    pub(crate) const fn flags(self) -> Self {
        Self {
            flags: true,
            ..self
        }
    }

    #[must_use]
    pub(crate) const fn beta(self) -> Self {
        Self {
            avail: Avail::Beta,
            ..self
        }
    }

    /// The member spelled `value` ignoring case (REFERENCE.md §15.24), in its declared casing.
    pub(crate) fn member(&self, value: &str) -> Option<&'static str> {
        self.members
            .iter()
            .copied()
            .find(|m| m.eq_ignore_ascii_case(value))
    }
}
