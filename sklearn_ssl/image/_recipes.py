"""Augmentation recipes of the view methods: one for natural images, one for small gray ones.

``augmentation="auto"`` picks the recipe from the training images' shape; an
augmentation parameter left at None takes the recipe's value, an explicit one
wins. Each recipe was measured on the images it is picked for.
"""

#: The values of the augmentation parameters in each recipe.
RECIPES = {
    # SimCLR's recipe for natural images (Chen et al. 2020, CIFAR-10 strength)
    "natural": {
        "crop_scale": (0.08, 1.0),
        "flip": True,
        "rotation": 0.0,
        "elastic": 0.0,
        "jitter": 0.5,
        "grayscale": 0.2,
        "blur": 0.5,
        "noise": 0.0,
    },
    # digits and similar: not mirror-symmetric, no colour; milder crops keep
    # the stroke, small rotations and noise make up for it
    "small_gray": {
        "crop_scale": (0.3, 1.0),
        "flip": False,
        "rotation": 10.0,
        "elastic": 0.0,
        "jitter": 0.4,
        "grayscale": 0.0,
        "blur": 0.0,
        "noise": 0.05,
    },
}

#: ``"auto"`` takes the small-gray recipe for single-channel images at most this many pixels a side.
SMALL_SIDE = 32


def recipe_for(augmentation, image_shape):
    """The name of the recipe ``augmentation`` selects for images of ``image_shape`` (C, H, W)."""
    if augmentation != "auto":
        return augmentation
    channels, height, width = image_shape
    return "small_gray" if channels == 1 and max(height, width) <= SMALL_SIDE else "natural"


def resolve_augmentation(augmentation, image_shape, explicit):
    """``{"recipe": name, parameter: value, ...}``: the recipe's values, ``explicit`` ones winning.

    Parameters
    ----------
    augmentation : {"auto", "natural", "small_gray"}
        The ``augmentation`` parameter.
    image_shape : tuple of int
        ``(channels, height, width)`` of the training images.
    explicit : dict
        The augmentation parameters, None where the recipe decides.
    """
    recipe = recipe_for(augmentation, image_shape)
    values = {
        name: value if explicit[name] is None else explicit[name]
        for name, value in RECIPES[recipe].items()
    }
    return {"recipe": recipe, **values}
