model! {
    /// A tag, which can be applied to droplets, images and volumes.
    pub struct Tag {
        required {
            /// The tag's name, which is also its identifier.
            name: String = "name",
        }
        optional {
            /// How many resources carry the tag, by kind.
            resources: TagResources = "resources",
        }
    }
}

model! {
    /// The resources that carry a tag.
    pub struct TagResources {
        required {}
        optional {
            /// Number of tagged resources of every kind.
            count: u64 = "count",
            /// URI of the resource tagged last.
            last_tagged_uri: String = "last_tagged_uri",
            /// Tagged droplets.
            droplets: TaggedCount = "droplets",
            /// Tagged images.
            images: TaggedCount = "images",
            /// Tagged volumes.
            volumes: TaggedCount = "volumes",
        }
    }
}

model! {
    /// The count of one kind of tagged resource.
    pub struct TaggedCount {
        required {}
        optional {
            /// Number of resources of this kind carrying the tag.
            count: u64 = "count",
            /// URI of the resource of this kind tagged last.
            last_tagged_uri: String = "last_tagged_uri",
        }
    }
}
